/** A configuration problem the operator can fix. The message is always a single line. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(message: string) {
    super(message.replace(/\s*[\r\n]+\s*/g, ' '));
  }
}
