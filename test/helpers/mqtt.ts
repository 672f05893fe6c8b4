/**
 * Shared helpers for tests that talk MQTT to a real broker on port 0.
 * Typical use:
 *
 *   const resources = createResources();
 *   afterEach(() => resources.closeAll());
 *
 *   const broker = await startTestBroker(resources);
 *   const sub = await connectClient(resources, broker.url);
 *   await sub.subscribeAsync('factory/#');
 *   const message = waitForMessage(sub, 'factory/+/x');   // listen before triggering
 *   ...publish...
 *   expect((await message).payload.toString()).toBe('...');
 */
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { startBroker, type BrokerHooks, type EmbeddedBroker } from '../../src/adapters/broker/embedded-broker.js';
import { silentLogger, type Logger } from '../../src/support/logger.js';
import { topicMatches } from '../../src/adapters/broker/auth/topic-filter.js';

export const DEFAULT_TIMEOUT_MS = 5000;

/**
 * The worker's topics as the issues name them (a public contract), spelled out
 * rather than read from the config defaults, so a changed default fails a test.
 */
export const CONTRACT_TOPICS = {
  sensors: 'factory/sensors/#',
  anomalies: 'factory/anomalies',
  scores: 'factory/scores',
  errors: 'factory/errors',
  status: 'factory/status/worker',
} as const;

/** Everything a test opened, closed in reverse order by `closeAll()` (call it in afterEach). */
export interface Resources {
  /** Registers `close` to run at teardown; returns `resource` for chaining. */
  add<T>(resource: T, close: (resource: T) => unknown): T;
  /** Closes everything registered, newest first; rethrows the first failure after trying all. */
  closeAll(): Promise<void>;
}

export function createResources(): Resources {
  let closers: Array<() => unknown> = [];
  return {
    add(resource, close) {
      closers.push(() => close(resource));
      return resource;
    },
    async closeAll() {
      const pending = closers.reverse();
      closers = [];
      const errors: unknown[] = [];
      for (const close of pending) {
        try {
          await close();
        } catch (err) {
          errors.push(err);
        }
      }
      if (errors.length > 0) throw errors[0];
    },
  };
}

export interface TestBrokerOptions {
  /** Also listen for MQTT over WebSocket (on a free port). */
  ws?: boolean;
  hooks?: BrokerHooks;
  logger?: Logger;
}

/** An embedded broker on 127.0.0.1 with free ports, closed at teardown. */
export async function startTestBroker(resources: Resources, options: TestBrokerOptions = {}): Promise<EmbeddedBroker> {
  const broker = await startBroker({
    host: '127.0.0.1',
    port: 0,
    wsPort: options.ws ? 0 : undefined,
    logger: options.logger ?? silentLogger(),
    hooks: options.hooks,
  });
  return resources.add(broker, (b) => b.close());
}

/**
 * A connected mqtt.js client, force-ended at teardown. Reconnection is off by
 * default so a test whose broker is gone fails instead of retrying forever.
 */
export async function connectClient(resources: Resources, url: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: DEFAULT_TIMEOUT_MS, ...options });
  return resources.add(client, (c) => c.endAsync(true));
}

/** MQTT topic filter matching, the broker's own (ACL) implementation. */
export { topicMatches };

export interface ReceivedMessage {
  topic: string;
  payload: Buffer;
}

export type MessagePredicate = (message: ReceivedMessage) => boolean;

/**
 * Resolves with the first message on a topic matching `topicFilter` that
 * satisfies `predicate`. It does not subscribe: subscribe first, then call
 * this before triggering the publish, so the message cannot be missed.
 */
export function waitForMessage(
  client: MqttClient,
  topicFilter: string,
  predicate: MessagePredicate = () => true,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<ReceivedMessage> {
  return waitForMessages(client, topicFilter, 1, predicate, timeoutMs).then((messages) => messages[0]!);
}

/** Like waitForMessage, for the first `count` matching messages, in arrival order. */
export function waitForMessages(
  client: MqttClient,
  topicFilter: string,
  count: number,
  predicate: MessagePredicate = () => true,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  return waitFor(
    `${count} message(s) on ${topicFilter}`,
    timeoutMs,
    (resolve) => {
      const onMessage = (topic: string, payload: Buffer) => {
        const message = { topic, payload };
        if (!topicMatches(topicFilter, topic) || !predicate(message)) return;
        received.push(message);
        if (received.length >= count) resolve(received);
      };
      client.on('message', onMessage);
      return () => client.off('message', onMessage);
    },
    () => `got ${received.length}`,
  );
}

/**
 * Anything with on/off: node EventEmitters, but also mqtt.js clients, whose
 * typed emitter is not assignable to EventEmitter. `never` parameters accept
 * every method signature.
 */
export interface Listenable {
  on(event: never, listener: never): unknown;
  off(event: never, listener: never): unknown;
}

/** Resolves with the arguments of the first `event` whose arguments satisfy `predicate`. */
export function waitForEvent<Args extends unknown[] = unknown[]>(
  emitter: Listenable,
  event: string,
  predicate: (...args: Args) => boolean = () => true,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Args> {
  return waitFor(`event ${event}`, timeoutMs, (resolve) => {
    const listener = (...args: unknown[]) => {
      if (predicate(...(args as Args))) resolve(args as Args);
    };
    emitter.on(event as never, listener as never);
    return () => emitter.off(event as never, listener as never);
  });
}

/** Rejects with a message naming `what` if `promise` has not settled within `timeoutMs`. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return waitFor(what, timeoutMs, (resolve, reject) => {
    promise.then(resolve, reject);
    return () => undefined;
  });
}

/**
 * The one place that owns a timeout: `start` installs listeners and returns
 * their removal, which runs however the wait ends.
 */
function waitFor<T>(
  what: string,
  timeoutMs: number,
  start: (resolve: (value: T) => void, reject: (err: unknown) => void) => () => void,
  progress: () => string = () => '',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const cleanups: Array<() => void> = [];
    const timer = setTimeout(() => {
      const detail = progress();
      finish(reject)(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? ` (${detail})` : ''}`));
    }, timeoutMs);
    const finish =
      <A>(fn: (arg: A) => void) =>
      (arg: A) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (const cleanup of cleanups) cleanup();
        fn(arg);
      };
    const stop = start(finish(resolve), finish(reject));
    // `start` may have settled synchronously, before its removal function existed.
    if (settled) stop();
    else cleanups.push(stop);
  });
}
