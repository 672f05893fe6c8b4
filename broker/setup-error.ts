/**
 * A broker setting that cannot work as given: a users or TLS file that cannot
 * be read, anonymous access where it is not allowed. The message says what is
 * wrong and names the environment variable to change, for the entry points to
 * print without a stack trace.
 */
export class BrokerSetupError extends Error {
  constructor(
    message: string,
    /** The environment variable behind the setting (MQTT_AUTH_FILE, MQTT_TLS_CERT, ...). */
    readonly variable: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BrokerSetupError';
  }
}
