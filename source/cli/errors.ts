/** Exit codes shared by every command (documented in the README). */
export const EXIT = {
  ok: 0,
  /** Something answered but is not healthy (status: degraded; verify: mismatch). */
  degraded: 1,
  /** A cluster, Connect or the metrics endpoint could not be reached, or authentication failed. */
  unreachable: 2,
  /** Bad input: usage, unknown topic or group, unreadable configuration. */
  usage: 3,
  /** An internal error: a bug. */
  internal: 4,
} as const;

/** An error whose one-line message is meant for the operator, with the exit code it maps to. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

/** One line, no stack, no control characters: what the operator sees when a command fails. */
export function oneLine(message: string): string {
  return message
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
