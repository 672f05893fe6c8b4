import { SettingError } from '../../support/setting-error.js';

/**
 * The broker answered CONNECT with a refusal (bad user name or password, not
 * authorized, client id rejected): a setting to fix, so the message names them.
 */
export class ConnectRefusedError extends SettingError {
  override name = 'ConnectRefusedError';

  constructor(
    readonly url: string,
    reason: string,
    /** The CONNACK return code (MQTT 3.1.1) or reason code (MQTT 5). */
    readonly returnCode: number,
  ) {
    super(
      'connect_refused',
      'mqtt.username',
      `the broker at ${redactUrl(url)} refused the connection: ${reason} (code ${returnCode}); check {mqtt.username}, {mqtt.password} and {mqtt.clientId}`,
    );
  }
}

/** mqtt.js reports a refused CONNACK as an error whose numeric code is the return or reason code. */
export function isConnackRefusal(err: Error & { code?: unknown }): boolean {
  return typeof err.code === 'number' && /^Connection refused/.test(err.message);
}

/** Never echo credentials embedded in a broker URL. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
