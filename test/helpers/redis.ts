/** A throwaway redis-server on a free loopback port, no persistence files, stopped at teardown. */
import type { Resources } from './mqtt.js';
import { freePort, hasCommand, spawnTracked } from './processes.js';

export const HAS_REDIS = hasCommand('redis-server');

export async function startRedis(resources: Resources): Promise<{ url: string }> {
  const port = await freePort();
  const redis = spawnTracked(resources, 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await redis.waitForOutput(/Ready to accept connections/, 10_000);
  return { url: `redis://127.0.0.1:${port}/0` };
}
