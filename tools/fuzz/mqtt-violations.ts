import { connect as netConnect } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { createFailures, type Failures } from './failures.js';
import { forbiddenTopics, publishGoodReading } from './mqtt-topics.js';
import { eventWithin } from './wait.js';

export interface MqttViolationOptions {
  url: string;
  sensorPrefix: string;
  scoresPrefix: string;
  /** How long the broker may take to hang up on a violation. Default 5 s. */
  timeoutMs?: number;
}

export interface MqttViolationReport {
  /** PUBLISH packets to forbidden topics, and how many got the publisher disconnected. */
  attempts: number;
  refused: number;
  /** Non-MQTT bytes and out-of-order packets on raw sockets, and how many the broker hung up on. */
  rawAttempts: number;
  rawRefused: number;
  /** After all that, the same publisher reconnected and its good reading was scored. */
  goodScored: boolean;
  failureCount: number;
  failures: string[];
}

/** Bytes that are not an MQTT session: HTTP, reserved packet types, a bad protocol name, PUBLISH before CONNECT. */
const RAW_GARBAGE = [
  Buffer.from('GET / HTTP/1.1\r\nHost: broker\r\n\r\n'),
  Buffer.of(0x00, 0x00),
  Buffer.of(0xf0, 0x00),
  Buffer.of(0x10, 0x04, 0x00, 0x00, 0x00, 0x00),
  Buffer.of(0x30, 0x05, 0x00, 0x01, 0x61, 0x62, 0x63),
];

let clients = 0;

/**
 * Protocol violations the broker must refuse by hanging up: PUBLISH to topics
 * with `+`/`#`, an empty topic or too many levels, and raw garbage. The
 * publisher then reconnects and a good reading must still be scored.
 */
export async function runMqttViolations(options: MqttViolationOptions): Promise<MqttViolationReport> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const failures = createFailures();
  const id = `${process.pid}-${(clients += 1)}`;
  const observer = await connectAsync(options.url, { clientId: `fuzz-watch-${id}`, reconnectPeriod: 0 });
  const publisher = await connectAsync(options.url, { clientId: `fuzz-violator-${id}`, reconnectPeriod: 0 });
  try {
    await observer.subscribeAsync(`${options.scoresPrefix}/fuzz-violator/#`, { qos: 1 });
    const topics = [...forbiddenTopics(options.sensorPrefix), ''];
    let refused = 0;
    for (const topic of topics) {
      if (!(await ensureConnected(publisher, timeoutMs, failures))) break;
      const closed = eventWithin(publisher, 'close', timeoutMs);
      // QoS 0: nothing stays queued for a resend when the client reconnects.
      publisher.publish(topic, '{"temperature":25,"humidity":50,"sound":60}', { qos: 0 });
      if (await closed) refused += 1;
      else failures.add(`the broker kept the publisher of ${JSON.stringify(topic.slice(0, 60))} connected`);
    }
    let rawRefused = 0;
    for (const bytes of RAW_GARBAGE) {
      if (await rawRefusedWithin(options.url, bytes, timeoutMs)) rawRefused += 1;
      else failures.add(`the broker kept a connection open after ${bytes.subarray(0, 8).toString('hex')}`);
    }
    const goodScored =
      (await ensureConnected(publisher, timeoutMs, failures)) &&
      (await publishGoodReading(publisher, observer, options, `fuzz-violator/${id}`, failures));
    return {
      attempts: topics.length,
      refused,
      rawAttempts: RAW_GARBAGE.length,
      rawRefused,
      goodScored,
      failureCount: failures.count,
      failures: failures.list(),
    };
  } finally {
    await Promise.all([publisher.endAsync(true), observer.endAsync(true)]);
  }
}

async function ensureConnected(client: MqttClient, timeoutMs: number, failures: Failures): Promise<boolean> {
  if (client.connected) return true;
  const connected = eventWithin(client, 'connect', timeoutMs);
  client.reconnect();
  if (await connected) return true;
  failures.add(`the publisher could not reconnect within ${timeoutMs} ms`);
  return false;
}

function rawRefusedWithin(url: string, bytes: Buffer, timeoutMs: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const socket = netConnect(Number(port), hostname);
  socket.on('error', () => undefined); // a reset is a refusal too
  const closed = eventWithin(socket, 'close', timeoutMs);
  socket.write(bytes);
  return closed.finally(() => socket.destroy());
}
