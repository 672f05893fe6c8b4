import type { ForestModel } from '../../../../src/core/model/index.js';
import { scoreAlone } from '../../../../src/detector/score-alone.js';
import { DEFAULT_DETECTOR_SETTINGS } from '../../../../src/core/context/settings.js';
import type { AnomalyModel } from '../../../../src/core/model/types.js';
import { DEFAULT_SENSORS } from '../../../../src/core/sensors.js';
import { reading } from '../../../helpers/readings.js';

/** The /predict path: one reading judged alone by the stream's checks, against the model's training profile. */
const scoreReading = (model: AnomalyModel, value: Record<string, unknown>) => {
  const result = scoreAlone(model, reading(value), DEFAULT_DETECTOR_SETTINGS, DEFAULT_SENSORS);
  if (typeof result === 'string') throw new Error(result);
  return result;
};
import { trainedModel } from '../../../helpers/trained-model.js';
import { contextModelOf } from '../../../../src/core/context/model.js';
import type { ContextModel } from '../../../../src/core/context/step.js';

/** The scoring step with the model `npm start` trains (the real forest, default settings). */
describe('a reading judged alone (POST /predict) with the default model', () => {
  let model: ForestModel;
  // A reading at the training sample's own means: the start-up model learns the simulated day from its start
  // (sound sits near 55 dB there), so the README's example reading is normal to it but not at its centre.
  let baseline: Record<string, unknown>;
  beforeAll(async () => {
    model = await trainedModel();
    const { profile } = contextModelOf(model, DEFAULT_SENSORS.names) as ContextModel;
    baseline = { timestamp: '2024-01-20T10:30:00', ...Object.fromEntries(DEFAULT_SENSORS.names.map((name, j) => [name, profile[j]!.mean])) };
  });

  it("when the README's example reading is judged alone, then it is not an anomaly", () => {
    const example = { timestamp: '2024-01-20T10:30:00', temperature: 25.5, humidity: 48.2, sound: 62.1 };
    expect(scoreReading(model, example).prediction.is_anomaly).toBe(false);
  });

  it.each([
    ['temperature 90', { temperature: 90 }],
    ['temperature 0 (a sensor stuck at its rail)', { temperature: 0 }],
    ['humidity 95', { humidity: 95 }],
    ['sound 110', { sound: 110 }],
    ['all three off together', { temperature: 29, humidity: 58, sound: 68 }],
  ])('when the reading has %s, then it scores higher than a baseline reading and is an anomaly', (_name, change) => {
    const normal = scoreReading(model, baseline).prediction;
    const outlier = scoreReading(model, { ...baseline, ...change }).prediction;
    expect(outlier.anomaly_score).toBeGreaterThan(normal.anomaly_score);
    expect(outlier.isolation_score).toBeGreaterThan(normal.isolation_score);
    expect([normal.is_anomaly, outlier.is_anomaly]).toEqual([false, true]);
    expect(outlier.explanation).toBeDefined();
  });

  it('scores in [0, 1] and is deterministic', () => {
    const a = scoreReading(model, baseline).prediction;
    const b = scoreReading(model, { ...baseline }).prediction;
    expect(a).toEqual(b);
    expect(a.anomaly_score).toBeGreaterThanOrEqual(0);
    expect(a.anomaly_score).toBeLessThanOrEqual(1);
  });

  it('the explanation of a one-sensor fault points at that sensor', () => {
    const { explanation } = scoreReading(model, { ...baseline, sound: 110 }).prediction;
    const top = Object.entries(explanation ?? {}).sort((x, y) => y[1] - x[1])[0]?.[0];
    expect(top).toBe('sound');
  });
});
