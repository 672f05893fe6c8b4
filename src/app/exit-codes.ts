/** Exit codes every command shares: 0 ok, 1 runtime failure, 2 usage or configuration error. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** A second Ctrl-C: exit at once, as shells report an interrupt (128 + SIGINT). */
export const EXIT_FORCED = 130;

/** A bad flag or argument: printed without a stack trace, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
