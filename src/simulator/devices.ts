/** The simulated plant: which devices exist and where they publish. */

/** Machine kinds given to devices in turn, so ids read like a real line. */
export const MACHINE_KINDS = ['press', 'oven', 'pump', 'mixer', 'conveyor'] as const;

export interface SimulatedDevice {
  /** `line1/press-1`: the part of the topic after the sensor prefix. */
  readonly id: string;
  readonly line: string;
  readonly machine: (typeof MACHINE_KINDS)[number];
}

/**
 * `devices` devices dealt over `lines` lines in turn (device n is on line
 * ((n-1) mod lines) + 1), numbered across the plant so every id is unique:
 * line1/press-1, line2/oven-2, line1/pump-3, ...
 */
export function simulatedDevices(devices: number, lines: number): SimulatedDevice[] {
  if (!Number.isInteger(devices) || devices < 1) throw new RangeError(`devices must be a positive integer, got ${devices}`);
  if (!Number.isInteger(lines) || lines < 1) throw new RangeError(`lines must be a positive integer, got ${lines}`);
  return Array.from({ length: devices }, (_, i) => {
    const line = `line${(i % lines) + 1}`;
    const machine = MACHINE_KINDS[i % MACHINE_KINDS.length]!;
    return { id: `${line}/${machine}-${i + 1}`, line, machine };
  });
}
