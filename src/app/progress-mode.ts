/**
 * Whether long tasks show a live progress line: on a terminal only, and never
 * under CI (CI=true, as CI systems set it) or a dumb terminal, where the
 * carriage returns would only garble the log.
 */
export function progressEnabled(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): boolean {
  if (stream.isTTY !== true) return false;
  const ci = env.CI?.trim().toLowerCase();
  if (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') return false;
  return env.TERM !== 'dumb';
}
