import { pathOf } from '../../../../src/adapters/http/route.js';

describe('pathOf', () => {
  it.each([
    ['/predict', '/predict'],
    ['/predict?debug=1', '/predict'],
    ['/health?', '/health'],
    ['http://example.com/health?x', '/health'],
    ['', '/'],
    [undefined, '/'],
    ['*', '*'],
  ])('when the request target is %p, then the path is %p', (url, expected) => {
    expect(pathOf(url)).toBe(expected);
  });
});
