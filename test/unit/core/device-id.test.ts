import { deviceIdProblem } from '../../../src/core/device-id.js';

const rules = { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/u };

describe('device ids (issue 10)', () => {
  it.each([
    ['dev1', /no line/],
    ['/dev1', /no line/],
    ['dev1/../dev2', /\.\. level/],
    ['line1/\uFFFDx', /not valid UTF-8/],
    ['line1/\uD800x', /not valid UTF-8/],
    ['line1/a b', /does not match/],
  ])('when the id is %j, then it is refused (%s)', (id, reason) => {
    expect(deviceIdProblem(id, rules)).toMatch(reason);
  });

  it('when the id is <line>/<device>, then it is accepted', () => {
    expect(deviceIdProblem('line1/press-3', rules)).toBeUndefined();
  });
});
