/**
 * Issue 11: how this worker reaches the broker and which share of the readings
 * it takes: its client id and status topic from WORKER_ID, a `$share/` group
 * subscription from WORKER_GROUP, its partition from WORKER_PARTITION, and the
 * MQTT version, credentials and TLS files every client of ours uses.
 */
import { readFile } from 'node:fs/promises';
import type { BrokerConnection } from '../adapters/mqtt/client-options.js';
import { parentSubtree } from '../adapters/broker/auth/topic-filter.js';
import { SettingError } from '../support/setting-error.js';
import type { Config } from './config.js';
import { workerClientId, workerStatusTopic } from './scale-config.js';

/** The connection the worker and the simulator open, the TLS files read (a missing one names its variable). */
export async function brokerConnection(config: Pick<Config, 'mqtt' | 'scale'>, url: string): Promise<BrokerConnection> {
  const files = config.scale.clientTls;
  const read = async (key: 'caFile' | 'certFile' | 'keyFile') => {
    const path = files?.[key];
    if (path === undefined) return undefined;
    try {
      return await readFile(path);
    } catch (err) {
      throw new SettingError('file_unreadable', `mqtt.clientTls.${key}`, `cannot read {mqtt.clientTls.${key}} (${path}): ${(err as Error).message}`, { cause: err });
    }
  };
  const [ca, cert, key] = await Promise.all([read('caFile'), read('certFile'), read('keyFile')]);
  return {
    url,
    username: config.mqtt.username,
    password: config.mqtt.password,
    protocolVersion: config.scale.protocolVersion,
    ...(files !== undefined ? { tls: { ca, cert, key } } : {}),
  };
}

export interface WorkerIdentity {
  clientId: string;
  /** Retained online/offline of this worker. */
  statusTopic: string;
  /** The sensor subscription, `$share/<group>/...` in a group. */
  sensorFilter: string;
  /** Where probes for this client id travel (src/adapters/mqtt/client-id-claim.ts). */
  claimTopic: string;
}

export function workerIdentity(config: Pick<Config, 'mqtt' | 'topics' | 'scale'>): WorkerIdentity {
  const { workerId, group } = config.scale;
  const clientId = workerClientId(config.mqtt.clientId, workerId);
  const statusTopic = workerStatusTopic(config.topics.status, workerId);
  return {
    clientId,
    statusTopic,
    sensorFilter: group === undefined ? config.topics.sensors : `$share/${group}/${config.topics.sensors}`,
    claimTopic: claimTopic(config.topics.status, clientId),
  };
}

/** `factory/status/worker` and `anomaly-worker-2` -> `factory/status/claims/anomaly-worker-2`. */
export function claimTopic(status: string, clientId: string): string {
  return `${claimsFilter(status).slice(0, -2)}/${clientId.replace(/[/+#]/g, '_').split('\u0000').join('_')}`;
}

/** Every claim topic: what the broker lets a worker subscribe to besides the readings. */
export function claimsFilter(status: string): string {
  const parent = parentSubtree(status);
  return parent === status ? `${status}-claims/#` : `${parent.slice(0, -2)}/claims/#`;
}

/**
 * An MQTT 5 CONNECT refused for its version (3.1.1's return code 1, MQTT 5's 0x84) means a 3.1.1-only
 * broker, such as the embedded Aedes: say why a group cannot work there and what to use instead.
 */
export function groupRefusal(err: unknown, config: Pick<Config, 'scale'>): unknown {
  const code = (err as { returnCode?: unknown }).returnCode;
  if (config.scale.group === undefined || (code !== 1 && code !== 0x84)) return err;
  return new SettingError(
    'group_unsupported',
    'worker.group',
    'the broker refused MQTT 5, which {worker.group} needs for its $share subscription: it speaks MQTT 3.1.1 only (the embedded Aedes broker does, and delivers nothing to $share subscriptions). Use an MQTT 5 broker (Mosquitto 2, EMQX, HiveMQ) in {mqtt.url}, or split the devices over workers with {worker.partition}=i/n',
    { cause: err },
  );
}
