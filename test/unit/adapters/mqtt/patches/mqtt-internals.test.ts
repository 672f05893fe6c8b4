/**
 * Contract tests of the mqtt.js internals the worker relies on (src/adapters/mqtt/patches/).
 * If an upgrade of mqtt (pinned in package.json) changes them, these fail before the worker does.
 */
import type { IPublishPacket } from 'mqtt';
import { forceClose } from '../../../../../src/adapters/mqtt/patches/force-close.js';
import { takeOverMessages } from '../../../../../src/adapters/mqtt/patches/handle-message.js';
import { connectClient, createResources, startTestBroker, withTimeout } from '../../../../helpers/mqtt.js';

const resources = createResources();
afterEach(() => resources.closeAll());

describe('mqtt.js patches', () => {
  it('when a QoS 1 message arrives, then handleMessage gets it with a callback; refusing it leaves it unacknowledged, so it comes again', async () => {
    const broker = await startTestBroker(resources);
    const options = { clientId: 'patch-contract', clean: false, reconnectPeriod: 0 };
    const first = await connectClient(resources, broker.url, options);
    await first.subscribeAsync('contract/#', { qos: 1 });
    const refused = new Promise<IPublishPacket>((resolve) =>
      takeOverMessages(first, (packet, done) => {
        done(new Error('refused on purpose'));
        resolve(packet);
      }),
    );
    const device = await connectClient(resources, broker.url);
    await device.publishAsync('contract/one', 'payload', { qos: 1 });
    const packet = await withTimeout(refused, 5000, 'handleMessage to be called');
    expect([packet.topic, packet.payload.toString(), packet.qos]).toEqual(['contract/one', 'payload', 1]);
    await first.endAsync(true);

    // The same session again: the broker still holds the message, because no PUBACK went out.
    const again = await connectClient(resources, broker.url, options);
    const redelivered = new Promise<IPublishPacket>((resolve) =>
      takeOverMessages(again, (p, done) => {
        done();
        resolve(p);
      }),
    );
    expect((await withTimeout(redelivered, 5000, 'the refused message to come again')).payload.toString()).toBe('payload');
  });

  it('when forceClose runs, then the client transport is destroyed and closed', async () => {
    const broker = await startTestBroker(resources);
    const client = await connectClient(resources, broker.url, { reconnectPeriod: 0 });
    expect(typeof client.stream?.destroy).toBe('function');
    await forceClose(client);
    expect(client.stream.destroyed).toBe(true);
  });
});
