import { loadConfig } from '../../src/app/config.js';
import { startPipeline, type Pipeline } from '../../src/app/start-pipeline.js';
import { silentLogger } from '../../src/support/logger.js';
import type { Resources } from './mqtt.js';

/**
 * `npm start` without the simulator, in this process: broker, worker and HTTP sidecar on free ports, with
 * the settings of `env` over the defaults; shut down at teardown.
 */
export async function startLocalPipeline(resources: Resources, env: Record<string, string> = {}): Promise<Pipeline> {
  const config = loadConfig({ MQTT_PORT: '0', MQTT_WS_PORT: '0', HTTP_PORT: '0', SIMULATOR_ENABLED: 'false', LOG_LEVEL: 'silent', ...env });
  const pipeline = await startPipeline(config, silentLogger(), { broker: true, worker: true, simulator: false });
  return resources.add(pipeline, (p) => p.shutdown.run('test over'));
}
