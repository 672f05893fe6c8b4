import type { Matrix } from './validate.js';

/**
 * Model ids are deterministic: `<engine>-<8 hex digits>`, an FNV-1a hash of the
 * engine, parameters, feature names and the training values. Retraining with
 * the same data and settings gives the same id (the same model); any change
 * gives another. ModelInfo.version tells successive trainings apart.
 */
export function modelId(engine: string, params: object, features: readonly string[], matrix: Matrix): string {
  let h = 0x811c9dc5;
  const mix = (byte: number): void => {
    h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  };
  for (const ch of JSON.stringify({ engine, params, features, rows: matrix.rows })) {
    const code = ch.charCodeAt(0);
    mix(code & 0xff);
    mix(code >>> 8);
  }
  const bytes = new Uint8Array(matrix.data.buffer, matrix.data.byteOffset, matrix.data.byteLength);
  for (const byte of bytes) mix(byte);
  return `${engine}-${h.toString(16).padStart(8, '0')}`;
}
