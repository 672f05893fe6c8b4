const HINTS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the address is not available on this machine',
  ENOTFOUND: 'the host name does not resolve',
};

/** The HTTP server could not bind; carries where and why so the caller can say which setting to change. */
export class ListenError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`HTTP server cannot listen on ${host}:${port}: ${HINTS[code] ?? code} (${code})`, options);
    this.name = 'ListenError';
  }
}
