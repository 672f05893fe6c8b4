import { readReading, type Reading } from '../../src/core/reading.js';
import { DEFAULT_SENSORS, type SensorSchema } from '../../src/core/sensors.js';

/** A validated reading from a plain object (the original three sensors unless told otherwise); throws if invalid. */
export function reading(value: Record<string, unknown>, schema: SensorSchema = DEFAULT_SENSORS): Reading {
  const result = readReading(value, schema);
  if (!result.ok) throw new Error(`not a valid reading: ${result.problems.join('; ')}`);
  return result.reading;
}
