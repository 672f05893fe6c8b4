/**
 * Injected faults: which kinds exist, which a sensor set can show, and a new
 * fault of a kind. The kinds themselves are in faults-brief.ts (a few readings
 * far out) and faults-sustained.ts (minutes of a changed pattern, or silence).
 */
import { drift, noiseBurst, spike, stuck } from './faults-brief.js';
import { correlationBreak, dropout, flatline, noiseIncrease, slowDrift } from './faults-sustained.js';
import type { Fault, FaultEnvironment } from './fault.js';
import { FAULT_KINDS, type FaultKind } from './settings.js';
import { SettingError } from '../support/setting-error.js';

export { FAULT_KINDS, type FaultKind } from './settings.js';
export { INJECTED_MIN_DEVIATION, type Fault, type FaultContext, type FaultEnvironment, type FaultStep } from './fault.js';

const START: Record<FaultKind, (env: FaultEnvironment) => Fault> = {
  spike,
  drift,
  stuck,
  noise_burst: noiseBurst,
  flatline,
  slow_drift: slowDrift,
  noise_increase: noiseIncrease,
  correlation_break: correlationBreak,
  dropout,
};

/** A new fault of `kind`; its randomness comes from `env.random`, the device's own generator. */
export function startFault(kind: FaultKind, env: FaultEnvironment): Fault {
  return START[kind](env);
}

/** Whether this sensor set can show `kind`: a correlation break needs two sensors on the shared load. */
export function canShow(kind: FaultKind, loadings: readonly number[]): boolean {
  return kind !== 'correlation_break' || loadings.filter((l) => l > 0).length >= 2;
}

/**
 * The kinds to inject: every kind the sensor set can show for 'all'; a listed
 * kind it cannot show is a setting error rather than a kind silently left out.
 */
export function resolveKinds(kinds: readonly FaultKind[] | 'all', loadings: readonly number[]): FaultKind[] {
  if (kinds === 'all') return FAULT_KINDS.filter((k) => canShow(k, loadings));
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new SettingError('unknown_fault_kind', 'simulator.faults.kinds', `{simulator.faults.kinds}: unknown kind ${unknown.join(', ')} (known: ${FAULT_KINDS.join(', ')})`);
  const impossible = kinds.filter((k) => !canShow(k, loadings));
  if (impossible.length > 0) {
    throw new SettingError(
      'fault_kind_impossible',
      'simulator.faults.kinds',
      `{simulator.faults.kinds} asks for ${impossible.join(', ')}, which needs two sensors that follow the shared load ({simulator.load.sensors})`,
    );
  }
  if (kinds.length === 0) throw new SettingError('no_fault_kind', 'simulator.faults.kinds', '{simulator.faults.kinds} names no kind');
  return [...new Set(kinds)];
}
