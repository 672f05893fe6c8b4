/**
 * Which kind each fault is. Not drawn independently: the faults of the whole
 * plant, taken in turn (device 0's first, device 1's first, ..., device 0's
 * second, ...), go through the kinds in rounds, each round a fresh seeded
 * shuffle of every kind. So every kind shows up as soon as the plant has had
 * as many faults as there are kinds, and an evaluation gets about the same
 * number of each. A device's kinds depend only on the seed and its index,
 * never on how the devices' readings interleave.
 */
import { createRandom } from '../support/random.js';
import { shuffle } from './fault.js';
import type { FaultKind } from './settings.js';

export interface FaultSchedule {
  /** The kind of device `device`'s `n`-th fault (both from 0). */
  kindOf(device: number, n: number): FaultKind;
}

export function createFaultSchedule(kinds: readonly FaultKind[], devices: number, seed: number): FaultSchedule {
  if (kinds.length === 0) throw new RangeError('no fault kinds to schedule');
  return {
    kindOf(device, n) {
      const turn = n * devices + device;
      const round = Math.floor(turn / kinds.length);
      // A fresh permutation per round, derived from the seed: computed when needed, never stored.
      const order = shuffle([...kinds], createRandom(roundSeed(seed, round)));
      return order[turn % kinds.length]!;
    },
  };
}

function roundSeed(seed: number, round: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(round + 1, 0x9e3779b9)) >>> 0;
}
