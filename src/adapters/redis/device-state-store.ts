/**
 * Issue 11: device state in Redis (DEVICE_STATE_REDIS_URL), one key per device
 * holding its snapshot as JSON: saved on eviction and at shutdown by the worker
 * that held the device, read by whichever worker next sees it. One connection;
 * Redis runs a connection's commands in order, so the last save of a device wins.
 */
import { Redis } from 'ioredis';
import type { DeviceSnapshot, DeviceStateStats, DeviceStateStore } from '../../detector/device-state.js';
import type { Logger } from '../../support/logger.js';
import { SettingError } from '../../support/setting-error.js';

export interface RedisDeviceStateOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://`. */
  url: string;
  /** Key prefix; keys are `<prefix><device>`. */
  prefix?: string;
  /** A load or save that takes longer fails (counted; a load then leaves the device to warm up). */
  commandTimeoutMs?: number;
  logger: Logger;
}

export const DEFAULT_PREFIX = 'factory-anomaly:device:';

/** Connects (rejecting with a SettingError naming the setting if Redis does not answer in 10 s) and returns the store. */
export async function openRedisDeviceState(options: RedisDeviceStateOptions): Promise<DeviceStateStore> {
  const log = options.logger.child({ component: 'device-state', store: 'redis' });
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const redis = new Redis(options.url, { commandTimeout: options.commandTimeoutMs ?? 2000, maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', (err: Error) => log.debug({ err: err.message }, 'device-state Redis error'));
  try {
    await withTimeout(redis.connect(), 10_000);
  } catch (err) {
    redis.disconnect();
    throw new SettingError('store_unreachable', 'deviceState.redisUrl', `cannot reach the device-state Redis ({deviceState.redisUrl}): ${(err as Error).message}`, { cause: err });
  }
  const stats: DeviceStateStats = { saved: 0, saveErrors: 0, loadErrors: 0, loaded: 0, missing: 0 };
  const pending = new Set<Promise<unknown>>();

  return {
    async load(device) {
      let text: string | null;
      try {
        text = await redis.get(prefix + device);
      } catch (err) {
        stats.loadErrors += 1;
        log.warn({ device, err: (err as Error).message }, 'cannot read device state; the device warms up again');
        return undefined;
      }
      if (text === null) {
        stats.missing += 1;
        return undefined;
      }
      try {
        const snapshot = JSON.parse(text) as DeviceSnapshot;
        if (snapshot?.version !== 1) throw new Error(`unknown snapshot version ${JSON.stringify(snapshot?.version)}`);
        stats.loaded += 1;
        return snapshot;
      } catch (err) {
        stats.loadErrors += 1;
        log.warn({ device, err: (err as Error).message }, 'device state unreadable; the device warms up again');
        return undefined;
      }
    },
    save(device, snapshot) {
      const write = redis.set(prefix + device, JSON.stringify(snapshot)).then(
        () => void (stats.saved += 1),
        (err: unknown) => {
          stats.saveErrors += 1;
          log.error({ device, err: (err as Error).message }, 'cannot save device state');
        },
      );
      pending.add(write);
      void write.finally(() => pending.delete(write));
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    stats: () => ({ ...stats }),
    async close() {
      while (pending.size > 0) await Promise.all([...pending]);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
