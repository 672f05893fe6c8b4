import { PacketSizeScanner } from '../../../../../src/adapters/broker/limits/packet-size.js';

/** A QoS 0 PUBLISH to topic `t`, encoded by hand: type byte, variable-length remaining length, topic, payload. */
function publish(payloadBytes: number): Buffer {
  const body = Buffer.concat([Buffer.from([0, 1]), Buffer.from('t'), Buffer.alloc(payloadBytes)]);
  const length: number[] = [];
  let n = body.length;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    length.push(byte);
  } while (n > 0);
  return Buffer.concat([Buffer.from([0x30, ...length]), body]);
}
const PINGREQ = Buffer.from([0xc0, 0x00]);

describe('packet size scanner', () => {
  it('when packets are within the limit, then it passes them, however the bytes are split', () => {
    const stream = Buffer.concat([publish(10), publish(100), publish(1000), PINGREQ]);
    for (const split of [1, 3, 7, stream.length]) {
      const scanner = new PacketSizeScanner(1024);
      for (let i = 0; i < stream.length; i += split) expect(scanner.feed(stream.subarray(i, i + split))).toBeUndefined();
    }
  });

  it('when a packet is over the limit, then it reports the declared size from the header alone', () => {
    const big = publish(2000);
    const scanner = new PacketSizeScanner(1024);
    expect(scanner.feed(publish(10))).toBeUndefined();
    // Only the fixed header (type byte and two length bytes) has arrived.
    expect(scanner.feed(big.subarray(0, 3))).toBe(big.length);
  });

  it('when a packet is exactly at the limit, then it passes', () => {
    const packet = publish(500);
    expect(new PacketSizeScanner(packet.length).feed(packet)).toBeUndefined();
    expect(new PacketSizeScanner(packet.length - 1).feed(packet)).toBe(packet.length);
  });

  it('when a header declares the largest length MQTT allows, then it is caught', () => {
    const header = Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]);
    expect(new PacketSizeScanner(65536).feed(header)).toBe(1 + 4 + 268_435_455);
  });
});
