import { readFileSync } from 'node:fs';
import { parseSchema, schemaFromNames, type SchemaResult } from '../core/sensors.js';

/**
 * The sensor schema from SENSORS and SENSOR_SCHEMA. The file wins; SENSORS,
 * when also set to something else, must then name the same fields in the same
 * order (two sources that disagree are a mistake, not a choice). Problems come
 * back prefixed with the variable, for the config error that lists them all.
 */
export function resolveSensors(sensorsVar: string, schemaFile: string | undefined): SchemaResult {
  const fromNames = schemaFromNames(sensorsVar);
  if (schemaFile === undefined) return fromNames.ok ? fromNames : { ok: false, problems: fromNames.problems.map((p) => `SENSORS: ${p}`) };
  let text: string;
  try {
    text = readFileSync(schemaFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, problems: [`SENSOR_SCHEMA: cannot read ${schemaFile}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`SENSOR_SCHEMA: ${schemaFile} is not valid JSON: ${(err as Error).message}`] };
  }
  const parsed = parseSchema(value);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => `SENSOR_SCHEMA: ${schemaFile}: ${p}`) };
  const names = parsed.schema.names.join(',');
  const given = sensorsVar.split(',').map((n) => n.trim()).join(',');
  if (given !== 'temperature,humidity,sound' && given !== names) {
    return { ok: false, problems: [`SENSORS: ${given} differs from the fields of SENSOR_SCHEMA (${names}); unset SENSORS or make them agree`] };
  }
  return parsed;
}
