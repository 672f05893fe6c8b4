import { SettingError } from '../../support/setting-error.js';

/**
 * A broker setting that cannot work as given: a users or TLS file that cannot
 * be read, anonymous access where it is not allowed. `setting` is the option
 * key (`broker.authFile`, `broker.tls.certFile`, ...); the entry point names
 * the variable behind it.
 */
export class BrokerSetupError extends SettingError {
  override name = 'BrokerSetupError';

  constructor(message: string, setting: string, options?: { cause?: unknown }) {
    super('broker_setup', setting, message, options);
  }
}
