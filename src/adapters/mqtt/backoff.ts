/**
 * Capped exponential backoff with jitter for MQTT reconnection. mqtt.js only
 * has a fixed `reconnectPeriod` (mqttjs/MQTT.js#561), but it reads that option
 * afresh each time it arms its reconnect timer, so `reconnectWithBackoff`
 * sets it before every attempt and resets it once connected.
 */

export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  initialMs: number;
  /** No delay is longer than this, in ms. */
  maxMs: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Each delay is cut by up to this share, at random, so clients that lost the same broker spread out (default 0.3). */
  jitter?: number;
  /** Uniform in [0, 1); injectable for tests. */
  random?: () => number;
}

export interface Backoff {
  /** The delay before the next attempt; each call counts one attempt. */
  next(): number;
  /** Back to the initial delay (call when connected). */
  reset(): void;
}

export function createBackoff(options: BackoffOptions): Backoff {
  const { initialMs, maxMs } = options;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.3;
  const random = options.random ?? Math.random;
  if (!(initialMs > 0 && maxMs >= initialMs)) throw new RangeError(`need 0 < initialMs <= maxMs, got ${initialMs} and ${maxMs}`);
  if (!(factor >= 1)) throw new RangeError(`factor must be at least 1, got ${factor}`);
  if (!(jitter >= 0 && jitter < 1)) throw new RangeError(`jitter must be in [0, 1), got ${jitter}`);
  let attempt = 0;
  return {
    next() {
      // Capped before jitter, so the cap also gets spread and the exponent never overflows into Infinity * 0.
      const base = Math.min(maxMs, initialMs * factor ** Math.min(attempt, 64));
      attempt += 1;
      return Math.max(1, Math.round(base * (1 - jitter * random())));
    },
    reset() {
      attempt = 0;
    },
  };
}

/** The part of an mqtt.js client the backoff needs; MqttClient fits. */
export interface ReconnectingClient {
  options: { reconnectPeriod?: number };
  on(event: 'connect' | 'reconnect', listener: () => void): unknown;
}

/**
 * Drives `client.options.reconnectPeriod` from `backoff`: the delay after a
 * lost connection starts at the initial one and grows with every failed
 * attempt. Leaves a client with reconnection switched off (period 0) alone.
 */
export function reconnectWithBackoff(client: ReconnectingClient, backoff: Backoff): void {
  if (!client.options.reconnectPeriod) return;
  const arm = () => {
    client.options.reconnectPeriod = backoff.next();
  };
  arm();
  // mqtt.js emits `reconnect` just before an attempt; if it fails, the timer it re-arms reads the new period.
  client.on('reconnect', arm);
  client.on('connect', () => {
    backoff.reset();
    arm();
  });
}
