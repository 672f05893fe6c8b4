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

export interface SimulatorSettings {
  readonly devices: number;
  readonly lines: number;
  /** Readings per second per device. */
  readonly rate: number;
  /** Probability that a reading starts an injected fault. */
  readonly anomalyRate: number;
  readonly seed: number;
  /** One entry per sensor field, in schema order. */
  readonly sensors: readonly SimulatedField[];
}
