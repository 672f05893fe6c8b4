import { createDeviceCap } from '../../../src/worker/device-cap.js';

describe('device-id cap (issue 10)', () => {
  it('when a line invents more ids than its cap, then new ones are refused and known ones still pass', () => {
    const cap = createDeviceCap({ maxPerLine: 2, maxTotal: 3 });
    for (const id of ['l1/a', 'l1/b']) {
      expect(cap.refusal(id)).toBeUndefined();
      cap.record(id);
    }
    expect(cap.refusal('l1/c')).toMatch(/line l1 has its maximum of 2/);
    expect(cap.refusal('l1/a')).toBeUndefined();
    cap.record('l2/a');
    expect(cap.refusal('l3/a')).toMatch(/at most 3 device ids/);
  });
});
