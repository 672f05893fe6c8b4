/**
 * A setting that cannot work as given (a users or TLS file that cannot be read,
 * a model file that does not fit, a port that is taken). Lower layers know
 * settings by their option key (`broker.tls.certFile`), never by environment
 * variable: the composition root renders `{key}` placeholders in the message
 * with the names the operator knows (src/app/setting-names.ts).
 */
export class SettingError extends Error {
  override name = 'SettingError';

  constructor(
    /** Stable code for programs: `file_unreadable`, `port_in_use`, `model_mismatch`, ... */
    readonly code: string,
    /** The option at fault, e.g. `broker.authFile`. */
    readonly setting: string,
    /** The message; `{some.key}` stands for a setting and is rendered by `describe`. */
    readonly template: string,
    options?: { cause?: unknown },
  ) {
    super(renderTemplate(template, (key) => key), options);
  }

  /** The message with each `{key}` replaced by `nameOf(key)`. */
  describe(nameOf: (setting: string) => string): string {
    return renderTemplate(this.template, nameOf);
  }
}

function renderTemplate(template: string, nameOf: (setting: string) => string): string {
  return template.replace(/\{([A-Za-z][\w.]*)\}/g, (_, key: string) => nameOf(key));
}
