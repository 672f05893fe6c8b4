/**
 * The detector phase's input, made before anything is timed: the simulator's
 * pure generator with its default settings (moving baselines, shared load,
 * every fault kind; or healthy readings only), each device one reading a
 * second, devices interleaved as they would arrive; already validated, so the
 * timed loop is the detector and nothing else. A device in a dropout sends
 * nothing for those seconds, as it would live.
 */
import type { Config } from '../../src/app/config.js';
import { readReading, type Reading } from '../../src/core/reading.js';
import { createGenerator } from '../../src/simulator/generator.js';

export interface ContextStream {
  /** Device id of each reading (the topic suffix `<line>/<device>`). */
  readonly devices: readonly string[];
  readonly readings: readonly Reading[];
  /** Event time of each reading (its timestamp), passed as the arrival time too: a live stream, not a replay. */
  readonly times: Float64Array;
  /** Readings the simulator injected as anomalous (ground truth), and slots left empty by dropouts. */
  readonly injected: number;
  readonly silent: number;
}

export interface ContextStreamOptions {
  devices: number;
  readingsPerDevice: number;
  seed: number;
  /** SIMULATOR_ANOMALY_RATE's default unless given: 0 for healthy readings only. */
  anomalyRate?: number;
}

const START = Date.UTC(2024, 1, 1);

export function contextStream(config: Pick<Config, 'sensors' | 'simulator'>, o: ContextStreamOptions): ContextStream {
  const profile = config.simulator.sensors;
  if (profile === undefined) throw new Error('the default sensors have simulator baselines');
  const { baseline, load, faults } = config.simulator;
  const anomalyRate = o.anomalyRate ?? config.simulator.anomalyRate;
  const generator = createGenerator({ devices: o.devices, lines: config.simulator.lines, anomalyRate, seed: o.seed, sensors: profile, baseline, load, faults, rate: 1, originMs: START });
  const ids = generator.devices.map((d) => d.id);
  const devices: string[] = [];
  const readings: Reading[] = [];
  const times: number[] = [];
  let injected = 0;
  let silent = 0;
  for (let k = 0; k < o.readingsPerDevice; k++) {
    const at = START + k * 1000;
    for (let d = 0; d < o.devices; d++) {
      const generated = generator.next(d, at);
      if (generated.reading === undefined) {
        silent += 1;
        continue;
      }
      const read = readReading(generated.reading, config.sensors);
      if (!read.ok) throw new Error(`the simulator made an invalid reading: ${read.problems.join('; ')}`);
      if (generated.injected !== undefined) injected += 1;
      devices.push(ids[d]!);
      readings.push(read.reading);
      times.push(at);
    }
  }
  return { devices, readings, times: Float64Array.from(times), injected, silent };
}
