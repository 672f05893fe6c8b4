/**
 * Issue 11: DEVICE_STATE_REDIS_URL. Opens the shared device-state store and
 * gives the detector its synchronous face and the worker its `prepare` hook:
 * a device the detector does not hold is read from Redis (its model and time
 * context) before its reading is scored.
 */
import { openRedisDeviceState } from '../adapters/redis/device-state-store.js';
import { createPrefetchingStore } from '../detector/device-state.js';
import type { Detector } from '../detector/types.js';
import type { SharedDeviceState as DetectorSharedState } from '../detector/device-state.js';
import type { Logger } from '../support/logger.js';
import type { Config } from './config.js';
import { misfit } from './detector-from-config.js';

export interface SharedDeviceState {
  /** For the detector (DetectorOptions.shared). */
  readonly shared: DetectorSharedState;
  /** For the worker: undefined when the detector holds the device, else the load to wait for. */
  prepare(detector: Pick<Detector, 'holds'>): (device: string) => Promise<void> | undefined;
  /** After the detector saved everything: waits for the saves and disconnects. */
  close(): Promise<void>;
}

export async function openSharedDeviceState(config: Pick<Config, 'scale' | 'sensors'>, logger: Logger): Promise<SharedDeviceState | undefined> {
  const url = config.scale.deviceStateRedisUrl;
  if (url === undefined) return undefined;
  const remote = await openRedisDeviceState({ url, logger });
  const bridge = createPrefetchingStore(remote, { misfit: (model) => misfit(model, config.sensors.names), logger });
  return {
    shared: bridge.shared,
    prepare: (detector) => (device) => (detector.holds(device) ? undefined : bridge.prefetch(device)),
    close: () => remote.close(),
  };
}
