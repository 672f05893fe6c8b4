import { loadConfig } from '../../../src/app/config.js';
import { detectorFromConfig } from '../../../src/app/detector-from-config.js';
import { trainOnSimulatedReadings } from '../../../src/app/model-setup.js';
import type { AnomalyModel } from '../../../src/core/model/types.js';
import { readReading } from '../../../src/core/reading.js';
import { createGenerator, FAULT_KINDS } from '../../../src/simulator/generator.js';
import { silentLogger } from '../../../src/support/logger.js';
import { episodesFrom, incidentsFrom, type IncidentEvent, type TruthMessage } from '../../../tools/eval/incident-inputs.js';
import { incidentMetrics } from '../../../tools/eval/incident-metrics.js';

const START = Date.UTC(2026, 0, 1);
const MINUTES = 90;

/** One simulated device with one kind of fault, its readings straight into the detector, in simulated time. */
function run(kind: string, model: AnomalyModel) {
  const config = loadConfig({ SIMULATOR_DEVICES: '1', SIMULATOR_FAULT_KINDS: kind, SIMULATOR_SEED: '3' });
  const sim = config.simulator;
  let held = model;
  const detector = detectorFromConfig(config, { get: () => held, set: (m) => void (held = m) }, silentLogger());
  const generator = createGenerator({ ...sim, sensors: sim.sensors!, originMs: START });
  const truth: TruthMessage[] = [];
  const events: IncidentEvent[] = [];
  const end = START + MINUTES * 60_000;
  for (let t = START; t < end; t += 1000) {
    const slot = generator.next(0, t);
    truth.push(...(slot.truth as unknown as TruthMessage[]));
    if (slot.reading !== undefined) {
      const read = readReading(slot.reading, config.sensors);
      if (!read.ok) throw new Error(read.problems.join('; '));
      const processed = detector.process(slot.device.id, read.reading, t);
      if (processed.kind === 'scored') for (const e of [processed.resumed, processed.incident]) if (e !== undefined) events.push(e as unknown as IncidentEvent);
    }
    // A silence is dated from the last reading heard; like eval:live, place it where it is noticed.
    for (const e of detector.tick(t)) events.push({ ...e, opened_at: new Date(t).toISOString() } as unknown as IncidentEvent);
  }
  return incidentMetrics(episodesFrom(truth), incidentsFrom(events), { startMs: START, endMs: end, devices: 1, graceMs: 30_000 });
}

describe('every fault kind of the simulator, through the detector in simulated time', () => {
  let model: AnomalyModel;
  beforeAll(() => {
    const config = loadConfig({ MODEL_TRAINING_SIZE: '5000' });
    model = trainOnSimulatedReadings(config, config.simulator.sensors!);
  });

  it.each(FAULT_KINDS.map((k) => [k]))('when a device shows %s faults, then an incident opens in nearly every one, and hardly anywhere else', (kind) => {
    const m = run(kind, model);
    expect(m.episodes).toBeGreaterThanOrEqual(10);
    expect(m.recall).toBeGreaterThanOrEqual(0.9);
    expect(m.false_incidents).toBeLessThanOrEqual(2); // a device's warm-up may open one
  });
});
