/**
 * Standalone broker (`npm run broker`, the docker compose `broker` service):
 * the same embedded aedes the app starts, alone in its own process.
 */
import { createShutdown, onSignals } from '../src/app/shutdown.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { createLogger, type Logger } from '../src/logger.js';
import { brokerOptions, PORT_VARIABLE } from './broker-config.js';
import { BrokerSetupError, ListenError, startBroker, type EmbeddedBroker } from './embedded-broker.js';

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty, name: 'broker' });

  const broker = await startBroker(brokerOptions(config, logger)).catch(exitOnStartupError);

  logger.info({ url: broker.url, wsUrl: broker.wsUrl, tlsUrl: broker.tlsUrl }, 'broker ready');
  const shutdown = createShutdown({ logger, timeoutMs: config.shutdownTimeoutMs });
  shutdown.add({ name: 'broker', run: () => broker.close() });
  onSignals(shutdown, (code) => process.exit(code), logger);
  if (config.broker.authFile !== undefined) reloadUsersOnHangup(broker, logger);
}

/** `kill -HUP <pid>` after `npm run -s users`: new passwords and roles apply to new connections, as with Mosquitto. */
function reloadUsersOnHangup(broker: EmbeddedBroker, logger: Logger): void {
  process.on('SIGHUP', () => {
    broker.reloadUsers().then(
      (users) => logger.info({ users }, 'users file reloaded'),
      (err: unknown) => logger.error({ err: (err as Error).message }, 'users file not reloaded; the previous users stay in force'),
    );
  });
}

/** A taken port or an unusable security setting is an operator error: say which variable to change, no stack trace. */
function exitOnStartupError(err: unknown): never {
  if (err instanceof ListenError) console.error(`${err.message}\nSet ${PORT_VARIABLE[err.listener]} to a free port (0 picks one).`);
  else if (err instanceof BrokerSetupError) console.error(`${err.message}\n(setting: ${err.variable})`);
  else throw err;
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
