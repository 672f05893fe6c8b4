/**
 * Standalone broker (`npm run broker`, the docker compose `broker` service):
 * the same embedded aedes the app starts, alone in its own process.
 */
import { createShutdown, onSignals } from '../src/app/shutdown.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { ListenError, startBroker } from './embedded-broker.js';

const PORT_VARIABLE = { mqtt: 'MQTT_PORT', ws: 'MQTT_WS_PORT' } as const;

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty, name: 'broker' });

  const broker = await startBroker({
    host: config.mqtt.host,
    port: config.mqtt.port,
    wsPort: config.mqtt.wsPort,
    logger,
  }).catch(exitOnListenError);

  logger.info({ url: broker.url, wsUrl: broker.wsUrl }, 'broker ready');
  const shutdown = createShutdown({ logger, timeoutMs: config.shutdownTimeoutMs });
  shutdown.add({ name: 'broker', run: () => broker.close() });
  onSignals(shutdown, (code) => process.exit(code), logger);
}

/** A taken port is an operator error: say which variable to change, no stack trace. */
function exitOnListenError(err: unknown): never {
  if (!(err instanceof ListenError)) throw err;
  console.error(`${err.message}\nSet ${PORT_VARIABLE[err.listener]} to a free port (0 picks one).`);
  process.exit(1);
}

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

main().catch((err: unknown) => {
  console.error('broker failed to start:', err);
  process.exit(1);
});
