import { deviceFromTopic, filterPrefix, sensorTopic } from '../../../src/core/topics.js';
import { MACHINE_KINDS, simulatedDevices } from '../../../src/simulator/devices.js';

describe('simulated devices', () => {
  it('when 5 devices share 2 lines, then they are dealt over the lines with rotating machine kinds', () => {
    expect(simulatedDevices(5, 2).map((d) => d.id)).toEqual([
      'line1/press-1',
      'line2/oven-2',
      'line1/pump-3',
      'line2/mixer-4',
      'line1/conveyor-5',
    ]);
  });

  it.each([
    [1, 1],
    [20, 3],
    [100, 7],
  ])('when there are %i devices on %i lines, then ids are unique and every line is used', (devices, lines) => {
    const list = simulatedDevices(devices, lines);
    expect(new Set(list.map((d) => d.id)).size).toBe(devices);
    expect(new Set(list.map((d) => d.line)).size).toBe(Math.min(devices, lines));
    for (const d of list) {
      expect(d.id).toMatch(/^line\d+\/[a-z]+-\d+$/);
      expect(d.id.startsWith(`${d.line}/${d.machine}-`)).toBe(true);
      expect(MACHINE_KINDS).toContain(d.machine);
    }
  });

  it('then each device topic is a valid sensor topic that maps back to the device id', () => {
    const prefix = filterPrefix('factory/sensors/#');
    for (const { id } of simulatedDevices(12, 3)) {
      const topic = sensorTopic(prefix, id);
      expect(topic).toMatch(/^factory\/sensors\/line\d+\/[a-z]+-\d+$/);
      expect(deviceFromTopic(topic, prefix)).toEqual({ ok: true, device: id });
    }
  });

  it.each([
    [0, 1],
    [1, 0],
    [2.5, 1],
  ])('when asked for %p devices on %p lines, then it throws', (devices, lines) => {
    expect(() => simulatedDevices(devices, lines)).toThrow(RangeError);
  });
});
