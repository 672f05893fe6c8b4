/** How numbers, ages and sensor names read on the page. */

export function formatValue(value: number | undefined, unit?: string): string {
  if (value === undefined) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

export function formatScore(score: number): string {
  return score.toFixed(3);
}

export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `4 s`, `3 min`, `2 h`: how long ago, for a wall screen. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} d`;
}

export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '–';
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** `fluid_temp` -> `fluid temp`; `vibration.rms` stays as it is. */
export function sensorLabel(name: string): string {
  return name.replace(/_/g, ' ');
}
