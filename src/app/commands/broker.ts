/**
 * `broker`: the embedded MQTT broker alone in its own process (the compose
 * `broker` service), the same one `start` runs.
 */
import { createShutdown } from '../../support/shutdown.js';
import { brokerOptions } from '../broker-options.js';
import { parseEnvFlags, variablesHelp, variablesWith } from '../env-flags.js';
import { EXIT_OK } from '../exit-codes.js';
import { readyBanner } from '../ready-banner.js';
import { runService } from '../run-service.js';
import type { Command } from './command.js';

const VARIABLES = [...variablesWith('MQTT_', 'BROKER_', 'TOPIC_', 'LOG_', 'SHUTDOWN_')].filter(
  (v) => !['MQTT_URL', 'MQTT_USERNAME', 'MQTT_PASSWORD', 'MQTT_QOS', 'LOG_SUMMARY_SECONDS'].includes(v),
);
const SUMMARY = 'Runs the embedded MQTT broker (Aedes) on its own.';

export const broker: Command = {
  summary: SUMMARY,
  async run(argv) {
    const flags = parseEnvFlags(argv, VARIABLES);
    if (flags.help) {
      console.log(`Usage: factory-anomaly broker [options]\n\n${SUMMARY}\nEvery option mirrors an environment variable and wins over it.\nSIGHUP reloads the users file (MQTT_AUTH_FILE).\n\n${variablesHelp(VARIABLES)}`);
      return EXIT_OK;
    }
    return runService(
      {
        name: 'broker',
        async start(config, logger) {
          // Loaded here, not at the top, so --help answers without loading aedes.
          const { startBroker } = await import('../../adapters/broker/embedded-broker.js');
          const running = await startBroker(brokerOptions(config, logger));
          const shutdown = createShutdown({ logger, timeoutMs: config.shutdownTimeoutMs });
          shutdown.add({ name: 'broker', run: () => running.close() });
          return {
            shutdown,
            ready: { mqtt: running.url, ws: running.wsUrl, mqtts: running.tlsUrl },
            banner: readyBanner('factory-anomaly broker', { mqtt: running.url, ws: running.wsUrl, mqtts: running.tlsUrl }),
            // `kill -HUP <pid>` after `users add`: new passwords and roles apply to new connections, as with Mosquitto.
            ...(config.broker.authFile !== undefined ? { onHangup: async () => `users file reloaded (${await running.reloadUsers()} users)` } : {}),
          };
        },
      },
      { ...process.env, ...flags.env },
    );
  },
};
