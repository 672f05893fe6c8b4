/** What the simulator is told by its composition root (src/app maps SIMULATOR_* onto it). */
export interface SensorBaseline {
  readonly base: number;
  /** Standard deviation of healthy readings. */
  readonly variation: number;
}

export interface SimulatorSettings {
  readonly devices: number;
  readonly lines: number;
  /** Readings per second per device. */
  readonly rate: number;
  /** Probability that a reading starts an injected fault. */
  readonly anomalyRate: number;
  readonly seed: number;
  readonly sensors: { readonly temperature: SensorBaseline; readonly humidity: SensorBaseline; readonly sound: SensorBaseline };
}
