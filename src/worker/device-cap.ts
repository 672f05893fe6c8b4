/**
 * A cap on distinct device ids (issue 10): per line (the first level, which
 * is the device user's name under the default MQTT_DEVICE_TOPIC_PATTERN) and
 * in all, so one credential inventing ids cannot evict the real devices'
 * models or fill MODEL_DIR. Only ids that got a reading scored take a place;
 * ids once admitted stay admitted (the set is what the cap bounds). The
 * worker's own state, like its counters: it lives as long as the worker.
 */

export interface DeviceCapLimits {
  readonly maxPerLine?: number | undefined;
  readonly maxTotal?: number | undefined;
}

export interface DeviceCap {
  /** Why a reading of `device` may not be scored (a new id over a cap), or undefined. */
  refusal(device: string): string | undefined;
  /** `device` had a reading scored: it holds a place from now on. */
  record(device: string): void;
  readonly size: number;
}

export function createDeviceCap(limits: DeviceCapLimits): DeviceCap {
  const known = new Set<string>();
  const perLine = new Map<string, number>();
  const lineOf = (device: string) => device.slice(0, Math.max(0, device.indexOf('/')));
  return {
    refusal(device) {
      if (known.has(device)) return undefined;
      if (limits.maxTotal !== undefined && known.size >= limits.maxTotal) return `the worker accepts at most ${limits.maxTotal} device ids`;
      const line = lineOf(device);
      if (limits.maxPerLine !== undefined && (perLine.get(line) ?? 0) >= limits.maxPerLine) {
        return `line ${line} has its maximum of ${limits.maxPerLine} device ids`;
      }
      return undefined;
    },
    record(device) {
      if (known.has(device)) return;
      known.add(device);
      const line = lineOf(device);
      perLine.set(line, (perLine.get(line) ?? 0) + 1);
    },
    get size() {
      return known.size;
    },
  };
}
