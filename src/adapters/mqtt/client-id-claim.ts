/**
 * Two workers with one client id take each other's session over for ever (the
 * broker hands the id to the newest CONNECT, the other reconnects, and so on),
 * scoring readings twice and losing in-flight ones. MQTT has no way to ask
 * "is this id connected?" without taking it over, so workers answer for their
 * ids themselves: each keeps a small side connection subscribed to its id's
 * claim topic and answers a newcomer's probe with "held". A newcomer that hears
 * "held", or an older probe, within the window refuses to start; otherwise it
 * holds the id. No retained state, so a crashed worker leaves no stale claim.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../../support/logger.js';
import { SettingError } from '../../support/setting-error.js';
import { connectionOptions, RECONNECT_BACKOFF, withReconnectBackoff, type BrokerConnection } from './client-options.js';
import { ConnectRefusedError, isConnackRefusal } from './connect-refused.js';

export interface ClientIdClaimOptions {
  connection: BrokerConnection;
  /** The id to claim (the worker's session client id). */
  clientId: string;
  /** Where probes and answers for this id travel (non-retained), e.g. `factory/status/claims/<id>`. */
  topic: string;
  /** How long to listen for an answer, after our own probe came back through the broker (default 500 ms). */
  windowMs?: number;
  logger: Logger;
  /** Gives up (the worker is stopping): closes the side connection and rejects. */
  signal?: AbortSignal;
}

export interface ClientIdClaim {
  /** Stops answering for the id and closes the side connection. Idempotent. */
  release(): Promise<void>;
}

interface ClaimMessage {
  kind: 'probe' | 'held';
  instance: string;
  /** When the sender started claiming, ms since the epoch: the earlier claim wins a tie. */
  since: number;
}

export class DuplicateClientIdError extends SettingError {
  override name = 'DuplicateClientIdError';

  constructor(clientId: string, since: number) {
    super(
      'duplicate_client_id',
      'worker.id',
      `another worker already uses client id ${clientId} (claimed at ${new Date(since).toISOString()}); two workers with one id would take each other's session over: give each worker its own {worker.id}`,
    );
  }
}

export const DEFAULT_CLAIM_WINDOW_MS = 500;
/** Longest wait for our own probe to come back before the window starts anyway. */
const ECHO_TIMEOUT_MS = 5000;

/** Resolves once the id is held; rejects with DuplicateClientIdError if a live worker holds it or claimed it first. */
export async function claimClientId(options: ClientIdClaimOptions): Promise<ClientIdClaim> {
  const log = options.logger.child({ component: 'client-id-claim' });
  const { clientId, topic } = options;
  const me: ClaimMessage = { kind: 'probe', instance: randomBytes(8).toString('hex'), since: Date.now() };
  const client = await connect(options.connection, `${clientId}-claim-${me.instance.slice(0, 8)}`, options.signal);
  let released: Promise<void> | undefined;
  const release = () => (released ??= client.endAsync(true).then(() => undefined, () => undefined));

  let held = false;
  let rival: ClaimMessage | undefined;
  const answered = new Set<string>();
  let echoed: () => void = () => undefined;
  const echo = new Promise<void>((resolve) => (echoed = resolve));
  const send = (kind: ClaimMessage['kind']) => client.publish(topic, JSON.stringify({ ...me, kind }), { qos: 1 });
  client.on('message', (_topic, payload) => {
    const other = parseClaim(payload);
    if (other === undefined) return;
    // Our own probe back: the broker routes the topic to us, so an answer has had time to travel from here on.
    if (other.instance === me.instance) return echoed();
    if (held) {
      if (other.kind === 'probe') send('held');
      return;
    }
    if (other.kind === 'held' || isEarlier(other, me)) rival ??= other;
    // A later prober may have subscribed after our probe went out: say it again, once, so it hears us.
    else if (!answered.has(other.instance)) {
      answered.add(other.instance);
      send('probe');
    }
  });

  const granted = await client.subscribeAsync(topic, { qos: 1 }).catch((err: Error) => err);
  if (granted instanceof Error || granted.some((g) => g.qos >= 0x80)) {
    log.warn({ topic, clientId }, 'cannot check that no other worker uses this client id: the broker refused the claim subscription');
    await release();
    return { release };
  }
  send('probe');
  await Promise.race([echo, delay(ECHO_TIMEOUT_MS)]);
  await delay(options.windowMs ?? DEFAULT_CLAIM_WINDOW_MS);
  if (options.signal?.aborted) {
    await release();
    throw new Error('stopped while claiming the client id');
  }
  if (rival !== undefined) {
    await release();
    throw new DuplicateClientIdError(clientId, rival.since);
  }
  held = true;
  log.debug({ clientId, topic }, 'client id claimed');
  return { release };
}

/** The side connection: clean session, reconnects by itself; a refusal at start fails like the worker's own. */
function connect(connection: BrokerConnection, clientId: string, signal: AbortSignal | undefined): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('stopped while claiming the client id'));
    const client = mqtt.connect(connection.url, {
      ...connectionOptions(connection),
      clientId,
      clean: true,
      reconnectPeriod: RECONNECT_BACKOFF.initialMs,
      connectTimeout: 10_000,
    });
    withReconnectBackoff(client);
    const fail = (err: Error) => {
      client.off('connect', onConnect);
      signal?.removeEventListener('abort', onAbort);
      client.end(true);
      reject(err);
    };
    const onAbort = () => fail(new Error('stopped while claiming the client id'));
    const onError = (err: Error & { code?: unknown }) => {
      if (isConnackRefusal(err)) fail(new ConnectRefusedError(connection.url, err.message, err.code as number));
    };
    const onConnect = () => {
      signal?.removeEventListener('abort', onAbort);
      client.off('error', onError);
      // Later errors are the reconnect loop's business; an unhandled 'error' would crash the process.
      client.on('error', () => undefined);
      resolve(client);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    client.on('error', onError);
    client.once('connect', onConnect);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function isEarlier(a: ClaimMessage, b: ClaimMessage): boolean {
  return a.since < b.since || (a.since === b.since && a.instance < b.instance);
}

function parseClaim(payload: Buffer): ClaimMessage | undefined {
  try {
    const m = JSON.parse(payload.toString()) as Partial<ClaimMessage>;
    if ((m.kind === 'probe' || m.kind === 'held') && typeof m.instance === 'string' && typeof m.since === 'number') return m as ClaimMessage;
  } catch {
    // Not ours: anyone allowed to publish there could write anything.
  }
  return undefined;
}
