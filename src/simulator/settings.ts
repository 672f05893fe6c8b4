/** What the simulator is told by its composition root (src/app maps SIMULATOR_* and the sensor schema onto it). */
export interface SimulatedField {
  readonly name: string;
  /** Healthy mean and standard deviation. */
  readonly base: number;
  readonly variation: number;
  /** The physical range; a failed sensor reads one of its rails. */
  readonly min?: number;
  readonly max?: number;
}

/** The fault kinds the simulator can inject. */
export const FAULT_KINDS = [
  'spike',
  'drift',
  'stuck',
  'noise_burst',
  'flatline',
  'slow_drift',
  'noise_increase',
  'correlation_break',
  'dropout',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Baselines that move, in simulated (event) time. Sizes are in each sensor's
 * variations, so the same settings suit any sensor set.
 */
export interface BaselineSettings {
  /** Time constant of the warm-up after a device starts, in seconds; 0 = none. */
  readonly warmupSeconds: number;
  /** Where a device starts, in variations from its running baseline (negative = below). */
  readonly warmupOffset: number;
  /** Length of the simulated day in seconds. */
  readonly daySeconds: number;
  /** Amplitude of the daily cycle in variations; 0 = none. */
  readonly dailyAmplitude: number;
}

/** A shared machine load that some sensors follow, so that they move together. */
export interface LoadSettings {
  /** Names of the sensors that follow the load, or 'auto' (the 1st, 3rd, 5th, ...; both of two). */
  readonly sensors: readonly string[] | 'auto';
  /** Correlation between two sensors that follow the load, 0-1. */
  readonly correlation: number;
  /** Time constant of the load, in seconds: how long it takes to wander. */
  readonly seconds: number;
}

export interface FaultSettings {
  /** Kinds to inject, or 'all' (every kind this sensor set can show). */
  readonly kinds: readonly FaultKind[] | 'all';
  /** Healthy seconds, at least, after a device starts and after each fault before the next one may start. */
  readonly gapSeconds: number;
}

export interface SimulatorSettings {
  readonly devices: number;
  readonly lines: number;
  /** Readings per second per device, in simulated time. */
  readonly rate: number;
  /** Probability that a reading starts an injected fault (once the gap is over). */
  readonly anomalyRate: number;
  readonly seed: number;
  /** One entry per sensor field, in schema order. */
  readonly sensors: readonly SimulatedField[];
  /** Simulated seconds per wall-clock second (default 1): readings are stamped in simulated time. */
  readonly timeScale?: number;
  /** Absent: fixed baselines. */
  readonly baseline?: BaselineSettings;
  /** Absent: sensors vary independently. */
  readonly load?: LoadSettings;
  /** Absent: every kind the sensor set can show, no gap. */
  readonly faults?: FaultSettings;
}
