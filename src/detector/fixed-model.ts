import type { Reading } from '../core/reading.js';
import type { SensorSchema } from '../core/sensors.js';
import { scoreReading } from '../core/stages/score.js';
import type { AnomalyModel } from '../core/model/types.js';
import type { Processed } from './types.js';

/** Scores every reading with whatever model `getModel` returns now, and learns nothing: tools, tests, benches. */
export interface FixedModelDetector {
  process(device: string, reading: Reading): Processed;
}

export function fixedModelDetector(getModel: () => AnomalyModel | undefined, schema: SensorSchema, zLimit?: number): FixedModelDetector {
  const scratch = new Float64Array(schema.fields.length);
  return {
    process(_device, reading) {
      const model = getModel();
      if (model === undefined) return { kind: 'rejected', code: 'model_not_ready', reason: 'no model is loaded yet' };
      const result = scoreReading(model, reading, { schema, zLimit, scratch });
      result.prediction.status = 'ready';
      return { kind: 'scored', result };
    },
  };
}
