/**
 * Maximum MQTT packet size. Neither aedes nor mqtt-packet has one: the parser
 * buffers whatever length a fixed header declares, up to 256 MB. So the
 * broker reads each packet's fixed header as the bytes arrive and closes the
 * connection as soon as one declares more than the limit, before its body is
 * buffered (as Mosquitto's max_packet_size does: there is no reason code for
 * it in MQTT 3.1.1).
 */
import type { Duplex } from 'node:stream';

/**
 * Walks packet boundaries through a byte stream: one type byte, a 1-4 byte
 * "remaining length", then that many bytes to skip.
 */
export class PacketSizeScanner {
  private inHeader = false;
  private length = 0;
  private lengthBytes = 0;
  private toSkip = 0;
  private broken = false;

  constructor(private readonly maxBytes: number) {
    if (!(Number.isSafeInteger(maxBytes) && maxBytes >= 2)) throw new RangeError(`maxBytes must be an integer of at least 2, got ${maxBytes}`);
  }

  /** Feeds the next bytes; returns the declared size of the first packet over the limit, else undefined. */
  feed(chunk: Uint8Array): number | undefined {
    let i = 0;
    while (i < chunk.length && !this.broken) {
      if (this.toSkip > 0) {
        const n = Math.min(this.toSkip, chunk.length - i);
        this.toSkip -= n;
        i += n;
        continue;
      }
      const byte = chunk[i++]!;
      if (!this.inHeader) {
        this.inHeader = true;
        this.length = 0;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * 128 ** this.lengthBytes;
      this.lengthBytes += 1;
      if (byte & 0x80) {
        // A fifth length byte is malformed; mqtt-packet rejects it, so stop tracking rather than guess.
        if (this.lengthBytes === 4) this.broken = true;
        continue;
      }
      const total = 1 + this.lengthBytes + this.length;
      if (total > this.maxBytes) return total;
      this.inHeader = false;
      this.toSkip = this.length;
    }
    return undefined;
  }
}

/**
 * Checks every chunk the broker reads from `conn`. aedes reads a connection
 * only through `conn.read()` in paused mode (lib/client.js), so wrapping that
 * one method of this one stream sees every inbound byte before mqtt-packet
 * does. A packet over the limit destroys the connection; aedes then closes
 * the client as for any dropped connection. The broker tests send an
 * oversized packet, so a change in how aedes reads would fail them.
 */
export function guardPacketSize(conn: Duplex, maxBytes: number, onOversized: (declaredBytes: number) => void): void {
  const scanner = new PacketSizeScanner(maxBytes);
  const read = conn.read.bind(conn);
  conn.read = (size?: number): unknown => {
    const chunk: unknown = read(size);
    if (!(chunk instanceof Uint8Array)) return chunk;
    const over = scanner.feed(chunk);
    if (over === undefined) return chunk;
    onOversized(over);
    conn.destroy();
    return null;
  };
}
