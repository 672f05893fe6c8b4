import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/**
 * A full garbage collection without starting node with --expose-gc: the flag
 * is set at run time and a fresh context then has a global `gc`.
 */
export function forceGc(): void {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/**
 * JS heap plus memory held outside it (Buffers live there, so a leaked
 * payload shows up here and not in heapUsed), in bytes, after a full GC.
 */
export function retainedBytes(): number {
  forceGc();
  forceGc(); // a second pass collects what the first one's finalizers released
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

export const MB = 1024 * 1024;
