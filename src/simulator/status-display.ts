import type { Logger } from '../support/logger.js';
import type { SimulatorStats } from './simulator.js';

export interface StatusDisplay {
  /** Interval at which the simulator should report stats. */
  readonly intervalMs: number;
  update(stats: SimulatorStats): void;
  /** The final summary. */
  finish(stats: SimulatorStats): void;
}

/** `sent 1200  rate 200/s  injected 24`, plus what went wrong when something did. */
export function formatStatus(stats: SimulatorStats, ratePerSecond: number): string {
  const parts = [`sent ${stats.sent}`, `rate ${Math.round(ratePerSecond)}/s`, `injected ${stats.injected}`];
  if (stats.dropped > 0) parts.push(`dropped ${stats.dropped}`);
  if (stats.failed > 0) parts.push(`failed ${stats.failed}`);
  if (!stats.connected) parts.push('offline');
  return parts.join('  ');
}

/** Readings per second since the previous sample (since the start for the first one). */
export function createRateMeter(): (stats: SimulatorStats) => number {
  let last = { sent: 0, elapsedMs: 0 };
  return (stats) => {
    const ms = stats.elapsedMs - last.elapsedMs;
    const rate = ms > 0 ? ((stats.sent - last.sent) * 1000) / ms : 0;
    last = { sent: stats.sent, elapsedMs: stats.elapsedMs };
    return rate;
  };
}

/**
 * On a terminal, one line rewritten in place; otherwise (compose, CI, a pipe)
 * a log line every few seconds, since carriage returns only garble a log file.
 */
export function createStatusDisplay(stream: NodeJS.WriteStream, logger: Logger): StatusDisplay {
  const meter = createRateMeter();
  const average = (stats: SimulatorStats) => (stats.elapsedMs > 0 ? (stats.sent * 1000) / stats.elapsedMs : 0);
  const summary = (stats: SimulatorStats) => ({
    sent: stats.sent,
    injected: stats.injected,
    dropped: stats.dropped,
    failed: stats.failed,
    seconds: Math.round(stats.elapsedMs / 100) / 10,
    averageRate: Math.round(average(stats) * 10) / 10,
  });
  if (stream.isTTY) {
    return {
      intervalMs: 500,
      update: (stats) => stream.write(`\r${formatStatus(stats, meter(stats))}\x1b[K`),
      // The last line stays on screen with the average rate; the summary is logged as well.
      finish: (stats) => {
        stream.write(`\r${formatStatus(stats, average(stats))}\x1b[K\n`);
        logger.info(summary(stats), 'simulation finished');
      },
    };
  }
  return {
    intervalMs: 5000,
    update: (stats) => logger.info({ ...stats, rate: Math.round(meter(stats)) }, 'simulator status'),
    finish: (stats) => logger.info(summary(stats), 'simulation finished'),
  };
}
