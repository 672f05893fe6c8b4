import { createRetainedLedger } from '../../../../../src/adapters/broker/limits/retained.js';

describe('retained ledger (issue 10)', () => {
  it('when retained messages exceed the bytes or per-owner caps, then they are refused, and clearing frees the room', () => {
    const ledger = createRetainedLedger({ maxCount: 10, maxBytes: 1000, maxPerOwner: 2 });
    expect(ledger.admit('dev', 't/1', 600)).toBeUndefined();
    expect(ledger.admit('dev', 't/2', 600)).toMatch(/exceed 1000 bytes/);
    expect(ledger.admit('dev', 't/2', 100)).toBeUndefined();
    expect(ledger.admit('dev', 't/3', 1)).toMatch(/dev holds its maximum of 2/);
    expect(ledger.admit('dev', 't/1', 0)).toBeUndefined();
    expect(ledger).toMatchObject({ count: 1, bytes: 100 });
    expect(ledger.admit('dev', 't/3', 800)).toBeUndefined();
  });

  it('when the broker holds its maximum count, then a new topic is refused while an update of a held one is not', () => {
    const ledger = createRetainedLedger({ maxCount: 2, maxBytes: 1000, maxPerOwner: 10 });
    expect(ledger.admit('a', 't/1', 10)).toBeUndefined();
    expect(ledger.admit('b', 't/2', 10)).toBeUndefined();
    expect(ledger.admit('a', 't/3', 10)).toMatch(/maximum of 2 retained messages/);
    expect(ledger.admit('a', 't/1', 20)).toBeUndefined();
    expect(ledger).toMatchObject({ count: 2, bytes: 30 });
  });
});
