import type { Limits } from '../core/context/step.js';
import type { SensorSchema } from '../core/sensors.js';

/** The schema's physical ranges as the checks read them (±Infinity where none is set). */
export function limitsOf(schema: SensorSchema): Limits {
  return {
    min: Float64Array.from(schema.fields, (f) => f.min ?? -Infinity),
    max: Float64Array.from(schema.fields, (f) => f.max ?? Infinity),
  };
}
