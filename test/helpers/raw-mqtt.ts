/**
 * Raw MQTT bytes over a plain socket, for packets no well-behaved client
 * library sends (a will with QoS 3, a password without a user name).
 */
import { connect, type Socket } from 'node:net';
import mqttPacket from 'mqtt-packet';
import type { Resources } from './mqtt.js';

export interface RawConnect {
  clientId: string;
  clean?: boolean;
  keepalive?: number;
  username?: string;
  password?: Buffer;
  will?: { topic: string; payload: Buffer; qos: number; retain: boolean };
}

/** A CONNECT of MQTT 3.1.1 built by hand: flags are set from the fields present, whatever the spec says. */
export function connectBytes(c: RawConnect): Buffer {
  const str = (s: string | Buffer) => {
    const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
    const len = Buffer.alloc(2);
    len.writeUInt16BE(b.length);
    return Buffer.concat([len, b]);
  };
  let flags = 0;
  if (c.clean ?? true) flags |= 0x02;
  if (c.will) flags |= 0x04 | ((c.will.qos & 0x03) << 3) | (c.will.retain ? 0x20 : 0);
  if (c.password !== undefined) flags |= 0x40;
  if (c.username !== undefined) flags |= 0x80;
  const keepalive = Buffer.alloc(2);
  keepalive.writeUInt16BE(c.keepalive ?? 30);
  const body = Buffer.concat([
    str('MQTT'),
    Buffer.from([4, flags]),
    keepalive,
    str(c.clientId),
    ...(c.will ? [str(c.will.topic), str(c.will.payload)] : []),
    ...(c.username !== undefined ? [str(c.username)] : []),
    ...(c.password !== undefined ? [str(c.password)] : []),
  ]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

/** A PUBLISH whose topic is given as raw bytes (for invalid UTF-8). */
export function publishBytes(topic: Buffer, payload: Buffer, qos: 0 | 1 = 0, messageId = 1): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(topic.length);
  const id = Buffer.alloc(2);
  id.writeUInt16BE(messageId);
  const body = Buffer.concat([len, topic, ...(qos > 0 ? [id] : []), payload]);
  return Buffer.concat([Buffer.from([0x30 | (qos << 1)]), remainingLength(body.length), body]);
}

function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes);
}

export interface RawClient {
  socket: Socket;
  /** The first packet the broker sent, or 'closed' if it closed the socket without one. */
  firstReply(timeoutMs?: number): Promise<mqttPacket.Packet | 'closed'>;
}

/** Opens a socket to `port`, optionally from `localAddress`, and writes `bytes`; destroyed at teardown. */
export async function rawClient(resources: Resources, port: number, bytes?: Buffer, localAddress?: string): Promise<RawClient> {
  const socket = connect({ host: '127.0.0.1', port, ...(localAddress ? { localAddress } : {}) });
  resources.add(socket, (s) => s.destroy());
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  const packets: mqttPacket.Packet[] = [];
  parser.on('packet', (p) => packets.push(p));
  socket.on('data', (d) => parser.parse(d));
  if (bytes) socket.write(bytes);
  return {
    socket,
    firstReply: (timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no reply and no close in time')), timeoutMs);
        const check = () => {
          if (packets.length > 0) {
            clearTimeout(timer);
            resolve(packets[0]!);
          } else if (socket.destroyed || socket.readableEnded) {
            clearTimeout(timer);
            resolve('closed');
          }
        };
        socket.on('data', () => setImmediate(check));
        socket.on('close', check);
        socket.on('end', check);
        check();
      }),
  };
}
