import { fnv1a32, ownsDevice, partitionOf } from '../../../src/core/partition.js';
import { createPartitionFilter } from '../../../src/worker/partition-filter.js';

/** The reference: FNV-1a over the bytes TextEncoder makes. */
function reference(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}

describe('device partitions', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('when the id is %j, then the hash is the published FNV-1a 32 value', (text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });

  it.each(['line1/press-3', 'Halle 2/Presse-ä', '工場/センサー', 'line/🙂', 'lone\ud800surrogate', 'end\udc00'])(
    'when the id %j has non-ASCII characters, then the hash is that of its UTF-8 bytes',
    (text) => {
      expect(fnv1a32(text)).toBe(reference(text));
    },
  );

  it('when 3 workers share 3,000 devices, then each device has exactly one owner and the shares are even', () => {
    const owners = [0, 0, 0];
    for (let d = 0; d < 3000; d++) {
      const device = `line${d % 7}/device-${d}`;
      const owning = [0, 1, 2].filter((index) => ownsDevice({ index, count: 3 }, device));
      expect(owning).toHaveLength(1);
      expect(owning[0]).toBe(partitionOf(device, 3));
      owners[owning[0]!]! += 1;
    }
    for (const share of owners) expect(share).toBeGreaterThan(900);
  });

  it('when there is one partition, then it owns everything', () => {
    expect(ownsDevice({ index: 0, count: 1 }, 'any/device')).toBe(true);
  });

  it('when a topic is not under the sensor prefix, then partition 0 alone takes it (its dead letter is sent once)', () => {
    const filters = [0, 1, 2].map((index) => createPartitionFilter({ index, count: 3 }, 'factory/sensors'));
    expect(filters.map((owns) => owns('elsewhere/x'))).toEqual([true, false, false]);
    expect(filters.filter((owns) => owns('factory/sensors/line1/press-3'))).toHaveLength(1);
    expect(filters[partitionOf('line1/press-3', 3)]!('factory/sensors/line1/press-3')).toBe(true);
  });
});
