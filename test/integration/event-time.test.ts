/**
 * Event time (issue 9): the worker judges a reading by its timestamp, not by when it arrives, so the same
 * recorded stream replayed at its recorded pace and as fast as the broker takes it gets the same verdicts.
 * The clock is compressed a hundredfold (readings 10 ms apart; every half-life and period of time set a
 * hundred times shorter) so the paced replay takes 3 s, and the time settings are in milliseconds, not in
 * readings, so that judging by arrival would change the verdicts.
 */
import type { MqttClient } from 'mqtt';
import { replayRows } from '../../src/adapters/mqtt/replay-publisher.js';
import type { ReplayPace } from '../../src/core/replay-schedule.js';
import type { ResultMessage } from '../../src/core/messages.js';
import { tempDir } from '../helpers/broker-auth.js';
import { connectClient, createResources, waitForMessages } from '../helpers/mqtt.js';
import { startLocalPipeline } from '../helpers/pipeline.js';
import { PUMP_ENV, PUMP_START, pumpReading, pumpRows, savePumpModel, type PumpRow } from '../helpers/pump.js';

const INTERVAL_MS = 10;
/** The defaults (in readings or seconds of one-a-second readings) a hundred times shorter, all in event time. */
const COMPRESSED = {
  LEVEL_HALF_LIFE: '100ms',
  NORMALIZER_HALF_LIFE: '1s',
  BASELINE_HALF_LIFE: '36s',
  DRIFT_BLOCK: '500ms',
  FLATLINE_MIN: '600ms',
  INCIDENT_QUIET: '300ms',
};

describe('event time over MQTT', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  it('when the same recorded stream is replayed at 1x and at full speed, then every reading gets the same verdict', async () => {
    const env = { ...PUMP_ENV, ...COMPRESSED };
    const training = pumpRows(600, { seed: 1, intervalMs: INTERVAL_MS });
    const modelPath = await savePumpModel(tempDir(resources, 'event-time-'), training, env);
    const pipeline = await startLocalPipeline(resources, { ...env, MODEL_PATH: modelPath });
    const observer = await connectClient(resources, pipeline.mqttUrl);
    await observer.subscribeAsync('factory/scores/#', { qos: 1 });

    // 3 s of a pump, a valve half closing in the middle of it.
    const recorded = pumpRows(300, { seed: 9, start: PUMP_START + 3_600_000, intervalMs: INTERVAL_MS, fault: { from: 150, to: 190, sd: 6 } });
    const paced = await verdicts(observer, pipeline.mqttUrl, 'line1/pump-paced', recorded, { kind: 'speed', factor: 1 });
    const fast = await verdicts(observer, pipeline.mqttUrl, 'line1/pump-fast', recorded, { kind: 'max' });

    expect(fast).toEqual(paced);
    // The stream is not trivially judged: the fault is found, and the normal readings before it are not flagged.
    const flagged = paced.filter(([, anomaly]) => anomaly).map(([t]) => (Date.parse(t) - recorded[0]!.t) / INTERVAL_MS);
    expect(flagged.filter((i) => i >= 150 && i < 190).length).toBeGreaterThan(20);
    expect(flagged.filter((i) => i < 150)).toEqual([]);
  });
});

type Verdict = [timestamp: string, isAnomaly: boolean, score: number];

/** Replays `rows` as `device` at `pace` and resolves with each reading's verdict, in timestamp order. */
async function verdicts(observer: MqttClient, url: string, device: string, rows: readonly PumpRow[], pace: ReplayPace): Promise<Verdict[]> {
  const results = waitForMessages(observer, `factory/scores/${device}`, rows.length, () => true, 15_000);
  const summary = await replayRows(
    rows.map((row) => ({ topic: `factory/sensors/${device}`, t: row.t, payload: JSON.stringify(pumpReading(row)) })),
    { url, qos: 1, pace },
  );
  expect(summary).toMatchObject({ published: rows.length, failed: 0 });
  return (await results)
    .map((m) => JSON.parse(m.payload.toString()) as ResultMessage)
    .map((r): Verdict => [r.input_data.timestamp as string, r.prediction.is_anomaly, r.prediction.anomaly_score])
    .sort((a, b) => a[0].localeCompare(b[0]));
}
