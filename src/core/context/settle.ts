import { elapsed } from './duration.js';
import type { DetectorSettings } from './settings.js';
import type { ContextState } from './state.js';

/**
 * A device that joins with no history (a machine just started, a sensor just fitted) may be far from the
 * model's normal and closing in on it: a warm-up. While a sensor's smoothed level keeps making new closest
 * approaches to its baseline, its distance from it is not news: the deviation and level checks hold that
 * evidence, and so does the forest (its inputs are normalised by running means that lag the warm-up). Jumps,
 * noise, a stuck sensor, its physical range and pairs judge as always. Settling ends for good, per sensor, once
 * the level is within half the level check's limit, moves more than one
 * sd back away from its closest approach, or gains no tenth of its distance (at least PROGRESS_SD) on it for three
 * half-lives of the level: a device that starts broken, far from normal and staying there, is judged after that delay.
 */
export function startSettling(state: ContextState, j: number, t: number): void {
  // No closest approach yet: the level starts at the first reading, noise and all, and is not a reference
  // until it has smoothed over one half-life.
  approach(state, j, Infinity, t);
}

/**
 * True while sensor j settles (call after its level has taken this reading); `scale` is the sensor's sd and
 * `band` the level check's limit in it: settled once the level is within half of that, where neither the
 * level check nor one reading's noise past the deviation limit would speak.
 */
export function settling(settings: DetectorSettings, state: ContextState, j: number, scale: number, band: number, t: number): boolean {
  const closest = state.settleMin[j]!;
  // Not settling: never started (a replay from the device's own history), ended, or restored from JSON (NaN).
  if (!(closest >= 0)) return false;
  const distance = Math.abs(state.level[j]! - state.base[j]!) / scale;
  if (distance <= band / 2) return end(state, j);
  const since = (t - state.settleT[j]!), readings = state.readings - state.settleReading[j]!;
  if (closest === Infinity) {
    if (elapsed(settings.level, since, readings)) approach(state, j, distance, t);
    return true;
  }
  if (distance < closest - Math.max(PROGRESS_SD, PROGRESS_SHARE * closest)) {
    approach(state, j, distance, t);
    return true;
  }
  const stalled = elapsed(settings.level, since / STALL_HALF_LIVES, readings / STALL_HALF_LIVES);
  return distance > closest + 1 || stalled ? end(state, j) : true;
}

const STALL_HALF_LIVES = 3;
/**
 * A closer approach counts when it gains a tenth of the distance (a warm-up closes a share of its gap in a
 * given time, however far it started), and at least PROGRESS_SD: the level's own noise (about 0.2 sd at the
 * default half-life) and a baseline creeping towards a level that stays put must not pass for a warm-up.
 */
const PROGRESS_SHARE = 0.1;
const PROGRESS_SD = 0.25;

function approach(state: ContextState, j: number, distance: number, t: number): void {
  state.settleMin[j] = distance;
  state.settleT[j] = t;
  state.settleReading[j] = state.readings;
}

function end(state: ContextState, j: number): false {
  state.settleMin[j] = -1;
  return false;
}
