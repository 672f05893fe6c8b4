/**
 * The sensor schema: which fields a reading carries, in the order the model
 * sees them. Configuration, not code (SENSORS, SENSOR_SCHEMA); everything that
 * handles a reading follows it: validation and its messages, the feature row,
 * model files, /predict, the simulator.
 */

export interface SensorField {
  /** The feature's name, e.g. `temperature`; also its key in the reading unless `path` says otherwise. */
  readonly name: string;
  /** Where the value sits in the payload, e.g. ['values', 'temp'] for `values.temp`; undefined = top-level `name`. */
  readonly path?: readonly string[];
  readonly unit?: string;
  /** Physical range: a value outside it is a sensor fault (scored, flagged and explained as such), not a dead letter. */
  readonly min?: number;
  readonly max?: number;
  /** May be missing from a reading; see reading.ts for what takes its place. */
  readonly optional: boolean;
  /** The simulator's healthy baseline for this field, when the schema gives one. */
  readonly simulate?: { readonly base: number; readonly variation: number };
  /** How its level behaves, when known: `steady` keeps the level-shift check, `drifting` leaves it out; unset, training decides. */
  readonly kind?: SensorKind;
}

export type SensorKind = 'steady' | 'drifting';
const KINDS: readonly SensorKind[] = ['steady', 'drifting'];

/** Per field, its declared kind or 'auto' (training decides): what a model fit takes. */
export function kindsOf(schema: SensorSchema): Array<SensorKind | 'auto'> {
  return schema.fields.map((f) => f.kind ?? 'auto');
}

export interface SensorSchema {
  readonly fields: readonly SensorField[];
  /** Field names in order (the model's raw features). */
  readonly names: readonly string[];
}

export const MAX_SENSORS = 64;
/** Field names are JSON keys, CSV headers and metric labels: plain words, spaces allowed inside (historian columns have them). */
const NAME = /^[A-Za-z_](?:[A-Za-z0-9_. -]{0,62}[A-Za-z0-9_.-])?$/;

/** The original demo's sensors: the default, so the original contract (and /predict) is unchanged. */
export const DEFAULT_SENSORS: SensorSchema = schemaOf([
  { name: 'temperature', unit: '°C', optional: false, simulate: { base: 25, variation: 1 } },
  { name: 'humidity', unit: '%', optional: false, simulate: { base: 50, variation: 2 } },
  { name: 'sound', unit: 'dB', optional: false, simulate: { base: 60, variation: 2 } },
]);

export function schemaOf(fields: readonly SensorField[]): SensorSchema {
  return Object.freeze({ fields: Object.freeze(fields.map((f) => Object.freeze({ ...f }))), names: Object.freeze(fields.map((f) => f.name)) });
}

export type SchemaResult = { ok: true; schema: SensorSchema } | { ok: false; problems: string[] };

/** `temperature,humidity,sound`: required top-level fields; the default ones keep their units and simulator baselines. */
export function schemaFromNames(list: string): SchemaResult {
  const names = list.split(',').map((n) => n.trim());
  const fields = names.map((name) => DEFAULT_SENSORS.fields.find((f) => f.name === name) ?? { name, optional: false });
  const problems = checkFields(fields);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, schema: schemaOf(fields) };
}

/**
 * A SENSOR_SCHEMA file's content: `{"sensors": [{"name", "path"?, "unit"?, "min"?, "max"?, "optional"?,
 * "kind"?: "steady" | "drifting", "simulate"?: {"base", "variation"}}, ...]}` (or the array alone). Every problem is listed.
 */
export function parseSchema(value: unknown): SchemaResult {
  const list = Array.isArray(value) ? value : isObject(value) ? value.sensors : undefined;
  if (!Array.isArray(list)) return { ok: false, problems: ['must be {"sensors": [...]} or an array of sensor fields'] };
  const problems: string[] = [];
  const fields: SensorField[] = [];
  list.forEach((entry, i) => {
    const at = `sensors[${i}]`;
    if (!isObject(entry)) return problems.push(`${at}: must be an object with at least a "name"`);
    const known = new Set(['name', 'path', 'unit', 'min', 'max', 'optional', 'simulate', 'kind']);
    for (const key of Object.keys(entry)) if (!known.has(key)) problems.push(`${at}: unknown key "${key}"`);
    const { name, path, unit, min, max, optional, simulate, kind } = entry;
    if (typeof name !== 'string') return problems.push(`${at}.name: must be a string`);
    const field: { -readonly [K in keyof SensorField]: SensorField[K] } = { name, optional: false };
    if (path !== undefined) {
      if (typeof path !== 'string' || path.split('.').some((p) => p === '' || p === '__proto__')) problems.push(`${at}.path: must be a dotted path like "values.temp"`);
      else field.path = path.split('.');
    }
    if (typeof unit === 'string') field.unit = unit;
    else if (unit !== undefined) problems.push(`${at}.unit: must be a string`);
    if (isFiniteNumber(min)) field.min = min;
    else if (min !== undefined) problems.push(`${at}.min: must be a finite number`);
    if (isFiniteNumber(max)) field.max = max;
    else if (max !== undefined) problems.push(`${at}.max: must be a finite number`);
    if (KINDS.includes(kind as SensorKind)) field.kind = kind as SensorKind;
    else if (kind !== undefined) problems.push(`${at}.kind: must be "steady" or "drifting" (leave it out to let training decide)`);
    if (typeof optional === 'boolean') field.optional = optional;
    else if (optional !== undefined) problems.push(`${at}.optional: must be true or false`);
    if (simulate !== undefined) {
      if (isObject(simulate) && isFiniteNumber(simulate.base) && isFiniteNumber(simulate.variation) && simulate.variation >= 0) {
        field.simulate = { base: simulate.base, variation: simulate.variation };
      } else problems.push(`${at}.simulate: must be {"base": <number>, "variation": <number >= 0>}`);
    }
    fields.push(field);
  });
  problems.push(...checkFields(fields));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, schema: schemaOf(fields) };
}

function checkFields(fields: readonly SensorField[]): string[] {
  const problems: string[] = [];
  if (fields.length < 1 || fields.length > MAX_SENSORS) problems.push(`needs 1 to ${MAX_SENSORS} sensor fields, got ${fields.length}`);
  const seen = new Set<string>();
  for (const f of fields) {
    if (!NAME.test(f.name)) problems.push(`sensor name ${JSON.stringify(f.name)} must start with a letter or _ and hold only letters, digits, spaces inside, _ . - (at most 64)`);
    else if (seen.has(f.name)) problems.push(`sensor name "${f.name}" appears twice`);
    seen.add(f.name);
    if (f.min !== undefined && f.max !== undefined && !(f.min < f.max)) problems.push(`sensor "${f.name}": min must be below max`);
  }
  const paths = new Set<string>();
  for (const f of fields) {
    const key = (f.path ?? [f.name]).join('.');
    if (paths.has(key)) problems.push(`two sensors read the same payload field "${key}"`);
    paths.add(key);
  }
  return problems;
}

/** Where a field's value is in the payload, for messages: `temperature` or `temperature (values.temp)`. */
export function fieldLabel(field: SensorField): string {
  return field.path === undefined ? field.name : `${field.name} (${field.path.join('.')})`;
}

/** True when the value is outside the field's physical range. */
export function outOfRange(field: SensorField, value: number): boolean {
  return (field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
