/**
 * `eval stream --via-mqtt`: the same run through a real broker and the real worker (the pipeline `npm start`
 * runs, without the simulator), fed by the replay tool at full speed; every row's verdict must equal the
 * offline run's. Event time makes the speed irrelevant; per-device MQTT ordering keeps each device's rows in order.
 */
import { basename, join } from 'node:path';
import { readdirSync } from 'node:fs';
import mqtt from 'mqtt';
import { loadConfig } from '../../../src/app/config.js';
import { startPipeline } from '../../../src/app/start-pipeline.js';
import { readCsvFile } from '../../../src/adapters/files/csv-file.js';
import { recordedRows, type RecordedRow } from '../../../src/adapters/files/recorded.js';
import { replayRows } from '../../../src/adapters/mqtt/replay-publisher.js';
import { silentLogger } from '../../../src/support/logger.js';
import { runDevice, type RowOutcome } from './run-device.js';
import { probationOf } from './nab.js';
import { SKAB_TRAINING_ROWS, skabCounts, skabScores, skabVerdict, sumCounts, type Counts, type SkabFile } from './skab.js';

export interface ViaMqttResult {
  protocol: string;
  equal: boolean;
  files: number;
  rows: number;
  differences: number;
  first_difference?: { file: string; row: number; offline: string; mqtt: string };
}

/** SKAB: the benchmark's figures from the verdicts that came over MQTT, to set beside the offline run's. */
export type SkabFigures = ReturnType<typeof skabScores> & Counts;

interface Series {
  name: string;
  rows: RecordedRow[];
  sensors: string[];
  warmup: number;
  /** SKAB: each row's label. */
  truth?: boolean[];
}

export async function viaMqtt(protocol: 'skab' | 'nab', dir: string, env: Record<string, string>): Promise<ViaMqttResult & Partial<SkabFigures>> {
  const series = await load(protocol, dir);
  let rows = 0;
  let differences = 0;
  let first: ViaMqttResult['first_difference'];
  const skab: SkabFile[] = [];
  for (const s of series) {
    const senv = { ...env, SENSORS: s.sensors.join(',') };
    const offline = runDevice(senv, `eval/${s.name}`, s.rows, s.warmup).map((o) => verdict(protocol, o));
    const outcomes = await throughMqtt(senv, s, s.warmup);
    const online = outcomes.map((o) => verdict(protocol, o));
    if (s.truth !== undefined) skab.push(skabCounts(s.name, s.truth, outcomes.map(skabVerdict)));
    offline.forEach((v, i) => {
      rows++;
      if (v === online[i]) return;
      differences++;
      first ??= { file: s.name, row: i, offline: v, mqtt: String(online[i]) };
    });
  }
  const total = sumCounts(skab);
  const figures = protocol === 'skab' ? { ...skabScores(total), ...total } : {};
  return { protocol, equal: differences === 0, files: series.length, rows, differences, ...(first ? { first_difference: first } : {}), ...figures };
}

/** What each protocol judges a row by: SKAB the open incident, NAB the alert (an incident opened or updated). */
function verdict(protocol: 'skab' | 'nab', o: RowOutcome): string {
  if (protocol === 'skab') return o.prediction?.incident_id === undefined ? '0' : '1';
  const alert = o.incident !== undefined && o.incident.state !== 'closed';
  return alert ? String(o.prediction?.anomaly_score ?? 0) : '0';
}

async function throughMqtt(env: Record<string, string>, s: Series, warmup: number): Promise<RowOutcome[]> {
  const config = loadConfig({
    ...env,
    MODEL_SCOPE: 'device',
    MODEL_WARMUP: String(warmup),
    MQTT_HOST: '127.0.0.1',
    MQTT_PORT: '0',
    MQTT_WS_PORT: '0',
    HTTP_PORT: '0',
    SIMULATOR_ENABLED: 'false',
    DASHBOARD_ENABLED: 'false',
    MQTT_CLIENT_ID: `eval-worker-${process.pid}`,
    LOG_LEVEL: 'silent',
  });
  const pipeline = await startPipeline(config, silentLogger(), { broker: true, worker: true, simulator: false });
  const device = `eval/${s.name}`;
  const observer = await mqtt.connectAsync(pipeline.mqttUrl);
  try {
    const outcomes: RowOutcome[] = [];
    const incidents = new Map<number, RowOutcome['incident']>();
    const done = new Promise<void>((resolve) => {
      observer.on('message', (topic, payload) => {
        const body = JSON.parse(payload.toString()) as Record<string, unknown>;
        if (topic === config.topics.incidents) {
          // The incident event of a row is published right after the row's result: it belongs to the last one.
          incidents.set(outcomes.length - 1, body as unknown as RowOutcome['incident']);
          return;
        }
        outcomes.push({ prediction: body.prediction as RowOutcome['prediction'], incident: undefined });
        if (outcomes.length === s.rows.length) setTimeout(resolve, 200);
      });
    });
    await observer.subscribeAsync([`${config.topics.scores}/${device}`, config.topics.incidents], { qos: 1 });
    const prefix = config.topics.sensors.replace(/\/#$/, '');
    await replayRows(
      s.rows.map((row) => ({ topic: `${prefix}/${device}`, t: row.t, payload: JSON.stringify(row.reading) })),
      { url: pipeline.mqttUrl, qos: 1, pace: { kind: 'max' } },
    );
    await done;
    return outcomes.map((o, i) => ({ ...o, incident: incidents.get(i) }));
  } finally {
    await observer.endAsync();
    await pipeline.shutdown.run('eval over');
  }
}

async function load(protocol: 'skab' | 'nab', dir: string): Promise<Series[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (files.length === 0) throw new Error(`${dir}: no .csv files (--via-mqtt takes one folder of files)`);
  const out: Series[] = [];
  for (const f of files) {
    if (protocol === 'skab') {
      const table = await readCsvFile(join(dir, f), { delimiter: ';' });
      const labels = ['anomaly', 'changepoint'];
      const label = table.header.indexOf('anomaly');
      out.push({
        name: basename(f, '.csv'),
        rows: recordedRows(table, { timeColumn: 'datetime', exclude: labels }),
        sensors: table.header.filter((h) => h !== 'datetime' && !labels.includes(h)),
        warmup: SKAB_TRAINING_ROWS,
        truth: table.rows.map((row) => Number(row.cells[label]) === 1),
      });
    } else {
      const table = await readCsvFile(join(dir, f));
      const rows = recordedRows(table, { timeColumn: 'timestamp' });
      out.push({ name: basename(f, '.csv'), rows, sensors: ['value'], warmup: Math.max(16, probationOf(rows.length)) });
    }
  }
  return out;
}
