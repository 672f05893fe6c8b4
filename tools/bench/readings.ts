/**
 * What the load generators send: realistic readings (the simulator's baselines
 * and spreads, about 1% far outliers so the anomaly path runs too), each
 * carrying a sequence number and a send time the worker echoes in input_data.
 */
import { loadConfig } from '../../src/app/config.js';
import { createGenerator, normalReadings, simulatedDevices, type SensorProfile } from '../../src/simulator/generator.js';

/** The simulator's default sensor profile (SIMULATOR_* defaults). */
export const BENCH_PROFILE: SensorProfile = [
  { name: 'temperature', base: 25, variation: 1 },
  { name: 'humidity', base: 50, variation: 2 },
  { name: 'sound', base: 60, variation: 2 },
];

export const OUTLIER_SHARE = 0.01;

/** JSON readings without the closing brace, so seq and sent_at can be appended cheaply. */
export function readingPrefixes(count: number, seed: number): string[] {
  const rows = normalReadings(BENCH_PROFILE, count, seed);
  const outlierEvery = Math.round(1 / OUTLIER_SHARE);
  const start = Date.parse('2024-01-20T10:30:00.000Z');
  return rows.map(([temperature = 0, humidity, sound], i) => {
    // A stuck-hot sensor: 12 spreads above baseline.
    const t = i % outlierEvery === outlierEvery - 1 ? temperature + 12 : temperature;
    const timestamp = new Date(start + i * 1000).toISOString();
    return `{"timestamp":"${timestamp}","temperature":${t.toFixed(2)},"humidity":${humidity},"sound":${sound}`;
  });
}

/**
 * The MQTT load's readings, per device: what the simulator's healthy devices send (its default baselines
 * and shared load, past their warm-up), so the model `npm start` trains and the time context judge them as
 * a plant's; every 100th reading of a device with its first sensor 12 spreads up. JSON without timestamp
 * and closing brace: the sender adds the event time (see timedPayload), which must move forward per device.
 */
export function deviceReadings(devices: number, lines: number, perDevice: number, seed: number): string[][] {
  const { simulator } = loadConfig({});
  const profile = simulator.sensors;
  if (profile === undefined) throw new Error('the default sensors have simulator baselines');
  const generator = createGenerator({ devices, lines, anomalyRate: 0, seed, sensors: profile, baseline: simulator.baseline, load: simulator.load, rate: 1, originMs: STREAM_START });
  const skip = Math.ceil(WARMUP_SKIP * simulator.baseline.warmupSeconds);
  const outlierEvery = Math.round(1 / OUTLIER_SHARE);
  return generator.devices.map((_, d) => {
    const rows: string[] = [];
    for (let k = 0; k < skip + perDevice; k++) {
      // No faults (anomaly rate 0), so no dropout: every second has a reading.
      const reading = generator.next(d, STREAM_START + k * 1000).reading!;
      const i = k - skip;
      if (i < 0) continue;
      const fields = profile.map((f, j) => {
        const value = (reading[f.name] as number) + (j === 0 && i % outlierEvery === outlierEvery - 1 ? 12 * f.variation : 0);
        return `"${f.name}":${Math.round(value * 100) / 100}`;
      });
      rows.push(`{${fields.join(',')}`);
    }
    return rows;
  });
}

/** Event time of a device's `k`-th reading in the MQTT load: one second apart, always forward. */
export function streamTime(k: number): string {
  return new Date(STREAM_START + k * 1000).toISOString();
}

const STREAM_START = Date.parse('2024-01-20T10:30:00.000Z');
/** Warm-up time constants skipped, so a device's values do not jump when its readings start over. */
const WARMUP_SKIP = 5;

/** `{...,"timestamp":"…","seq":n,"sent_at":ms}` from a deviceReadings prefix. */
export function timedPayload(prefix: string, timestamp: string, seq: number, sentAt: number): string {
  return `${prefix},"timestamp":"${timestamp}","seq":${seq},"sent_at":${sentAt.toFixed(3)}}`;
}

/** `{...,"seq":n,"sent_at":ms}`: sent_at is performance.now() in the sending process, to the microsecond. */
export function readingPayload(prefix: string, seq: number, sentAt: number): string {
  return `${prefix},"seq":${seq},"sent_at":${sentAt.toFixed(3)}}`;
}

/** The sensor topic suffixes (`line1/press-1`, ...) the publishers cycle through. */
export function deviceIds(devices: number, lines: number): string[] {
  return simulatedDevices(devices, lines).map((d) => d.id);
}

const SEQ = Buffer.from('"seq":');
const SENT_AT = Buffer.from('"sent_at":');
const ANOMALY = Buffer.from('"is_anomaly":true');

export interface Echo {
  seq: number;
  sentAt: number;
  anomaly: boolean;
}

/**
 * Reads seq and sent_at back from a reading or a result (which echoes the
 * reading in input_data) without parsing the whole JSON: the load generator
 * shares two cores with the system under test, so it must stay cheap.
 */
export function readEcho(payload: Buffer): Echo | undefined {
  const seq = numberAfter(payload, SEQ);
  const sentAt = numberAfter(payload, SENT_AT);
  if (seq === undefined || sentAt === undefined) return undefined;
  return { seq, sentAt, anomaly: payload.includes(ANOMALY) };
}

function numberAfter(payload: Buffer, key: Buffer): number | undefined {
  const at = payload.indexOf(key);
  if (at < 0) return undefined;
  const start = at + key.length;
  let end = start;
  while (end < payload.length && payload[end] !== 0x2c /* , */ && payload[end] !== 0x7d /* } */) end++;
  const value = Number(payload.toString('latin1', start, end));
  return Number.isFinite(value) ? value : undefined;
}
