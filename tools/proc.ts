/** Small process and port helpers the tools (and the tests) share. */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * For programs that cannot be told "port 0" and report back (mosquitto, redis-server, docker-compose): ask
 * the kernel for a free loopback port, release it, hand it over. A tiny race, acceptable for tests and tools.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** utime + stime of a process so far, in seconds, from /proc/<pid>/stat (USER_HZ = 100); undefined elsewhere. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; fields after it are space-separated, utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
