import type { DetectorSettings } from '../core/context/settings.js';
import type { AnomalyModel } from '../core/model/types.js';
import type { Reading } from '../core/reading.js';
import type { SensorSchema } from '../core/sensors.js';
import { scoreAlone } from './score-alone.js';
import type { Processed } from './types.js';

/** Scores every reading alone with whatever model `getModel` returns now, and learns nothing: tools, tests, benches. */
export interface FixedModelDetector {
  process(device: string, reading: Reading, receivedMs: number): Processed;
}

export function fixedModelDetector(getModel: () => AnomalyModel | undefined, schema: SensorSchema, settings: DetectorSettings): FixedModelDetector {
  return {
    process(_device, reading) {
      const model = getModel();
      if (model === undefined) return { kind: 'rejected', code: 'model_not_ready', reason: 'no model is loaded yet' };
      const result = scoreAlone(model, reading, settings, schema);
      if (typeof result === 'string') return { kind: 'rejected', code: 'model_not_ready', reason: `the model does not fit: ${result}` };
      result.prediction.status = 'ready';
      return { kind: 'scored', result };
    },
  };
}
