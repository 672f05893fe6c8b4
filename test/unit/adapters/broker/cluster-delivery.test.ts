import { Aedes } from 'aedes';
import { deliverAcrossNodes, NO_SUCH_PACKET } from '../../../../src/adapters/broker/patches/cluster-delivery.js';

/** Contract of the cluster-delivery patch: what the in-memory store answers for a packet it never queued. */
describe('cluster delivery patch', () => {
  const client = { id: 'worker-on-b' };
  const foreign = { topic: 'factory/sensors/a/b', brokerId: 'other-node', brokerCounter: 1, messageId: 7, qos: 1 };

  it('when the in-memory store is asked to update a packet it never queued, then it rejects with "no such packet"', async () => {
    const aedes = await Aedes.createBroker();
    try {
      const store = (aedes as unknown as { persistence: { outgoingUpdate(c: unknown, p: unknown): Promise<unknown> } }).persistence;
      await expect(store.outgoingUpdate(client, foreign)).rejects.toThrow(NO_SUCH_PACKET);
    } finally {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    }
  });

  it('when patched, then such a packet is let through and counted, and other store errors still reject', async () => {
    const aedes = await Aedes.createBroker();
    try {
      let unstored = 0;
      deliverAcrossNodes(aedes, () => (unstored += 1));
      const store = (aedes as unknown as { persistence: { outgoingUpdate(c: unknown, p: unknown): Promise<unknown> } }).persistence;
      await expect(store.outgoingUpdate(client, foreign)).resolves.toBeUndefined();
      expect(unstored).toBe(1);
      const failing = { outgoingUpdate: () => Promise.reject(new Error('disk full')) };
      deliverAcrossNodes({ persistence: failing } as unknown as Aedes, () => undefined);
      await expect(failing.outgoingUpdate()).rejects.toThrow('disk full');
    } finally {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    }
  });
});
