/**
 * Issue 11 (scale-out): the settings that let several workers share a broker,
 * checked together and turned into the shape the worker and broker take.
 * The variables themselves are declared in config.ts, in their own block.
 */
import { hostname } from 'node:os';
import type { Env } from './config.js';
import type { Partition } from '../core/partition.js';

/** Letters, digits, `.`, `_`, `-`, and `{hostname}`: one topic level, safe in a client id. */
export const WORKER_ID_PATTERN = /^(?:[A-Za-z0-9._-]|\{hostname\}){1,64}$/;

export function isPartition(value: string): boolean {
  return parsePartition(value) !== undefined;
}

/** `i/n` with 0 <= i < n <= 1024. */
export function parsePartition(value: string): Partition | undefined {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(value);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return count >= 1 && count <= 1024 && index < count ? { index, count } : undefined;
}

/** Settings that are only valid together (called from config.ts's checkCombinations). */
export function checkScaleOut(e: Record<string, unknown>, problem: (variable: string, message: string) => void): void {
  if (e.WORKER_GROUP !== undefined) {
    if (e.MQTT_URL === undefined) {
      problem(
        'WORKER_GROUP',
        'needs an MQTT 5 broker with shared subscriptions in MQTT_URL (Mosquitto 2, EMQX, HiveMQ): the embedded Aedes broker speaks MQTT 3.1.1 only and delivers nothing to $share subscriptions; with it, split the devices with WORKER_PARTITION=i/n instead',
      );
    }
    if (e.MQTT_PROTOCOL_VERSION === '3.1.1') problem('MQTT_PROTOCOL_VERSION', 'must be 5 (or unset) with WORKER_GROUP: shared subscriptions are an MQTT 5 feature');
    if (typeof e.TOPIC_SENSORS === 'string' && e.TOPIC_SENSORS.startsWith('$share/')) {
      problem('WORKER_GROUP', 'TOPIC_SENSORS is already a shared subscription; set one or the other');
    }
    if (e.WORKER_PARTITION !== undefined) {
      problem('WORKER_PARTITION', 'cannot be combined with WORKER_GROUP: the group hands each reading to one worker, which would drop the devices it does not own');
    }
  }
  if (e.WORKER_PARTITION !== undefined && typeof e.TOPIC_SENSORS === 'string' && e.TOPIC_SENSORS.startsWith('$share/')) {
    problem('WORKER_PARTITION', 'needs every reading on every worker: TOPIC_SENSORS cannot be a shared subscription');
  }
  if ((e.MQTT_CLIENT_CERT === undefined) !== (e.MQTT_CLIENT_KEY === undefined)) {
    problem(e.MQTT_CLIENT_CERT === undefined ? 'MQTT_CLIENT_CERT' : 'MQTT_CLIENT_KEY', `required when ${e.MQTT_CLIENT_CERT === undefined ? 'MQTT_CLIENT_KEY' : 'MQTT_CLIENT_CERT'} is set`);
  }
  if (e.DEVICE_STATE_REDIS_URL !== undefined) {
    if (e.MODEL_DIR !== undefined) problem('DEVICE_STATE_REDIS_URL', 'and MODEL_DIR are two homes for the same device models: set one');
  }
  if (e.BROKER_REDIS_URL !== undefined && e.MQTT_URL !== undefined) {
    problem('BROKER_REDIS_URL', 'joins embedded brokers; with MQTT_URL no embedded broker runs here');
  }
}

export interface ScaleConfig {
  /** The worker's id among several, {hostname} filled in; undefined for a lone worker. */
  workerId: string | undefined;
  group: string | undefined;
  partition: Partition | undefined;
  protocolVersion: 4 | 5;
  /** 0 = no duplicate client-id check. */
  claimWindowMs: number;
  /** PEM files for the worker's and simulator's connection. */
  clientTls: { caFile?: string | undefined; certFile?: string | undefined; keyFile?: string | undefined } | undefined;
  /** mqemitter-redis URL joining embedded brokers. */
  brokerRedisUrl: string | undefined;
  /** Where device models move between workers. */
  deviceStateRedisUrl: string | undefined;
}

export function scaleConfig(e: Env, host: string = hostname()): ScaleConfig {
  const partition = e.WORKER_PARTITION === undefined ? undefined : parsePartition(e.WORKER_PARTITION);
  const version = e.MQTT_PROTOCOL_VERSION ?? (e.WORKER_GROUP !== undefined ? '5' : '3.1.1');
  const tlsSet = e.MQTT_CLIENT_CA !== undefined || e.MQTT_CLIENT_CERT !== undefined;
  return {
    workerId: workerId(e.WORKER_ID, partition, host),
    group: e.WORKER_GROUP,
    partition,
    protocolVersion: version === '5' ? 5 : 4,
    claimWindowMs: e.WORKER_CLAIM_WINDOW_MS,
    clientTls: tlsSet ? { caFile: e.MQTT_CLIENT_CA, certFile: e.MQTT_CLIENT_CERT, keyFile: e.MQTT_CLIENT_KEY } : undefined,
    brokerRedisUrl: e.BROKER_REDIS_URL,
    deviceStateRedisUrl: e.DEVICE_STATE_REDIS_URL,
  };
}

/**
 * WORKER_ID with `{hostname}` filled in (host names can hold characters a topic level cannot); a partitioned
 * worker without one is named after its partition (`p0of3`), which is as stable as the setting itself.
 */
function workerId(id: string | undefined, partition: Partition | undefined, host: string): string | undefined {
  if (id !== undefined) return id.split('{hostname}').join(host.replace(/[^A-Za-z0-9._-]/g, '_'));
  return partition === undefined ? undefined : `p${partition.index}of${partition.count}`;
}

/** The worker's client id: the base alone for a lone worker, `<base>-<id>` otherwise (the broker keeps that prefix for workers). */
export function workerClientId(base: string, id: string | undefined): string {
  return id === undefined ? base : `${base}-${id}`;
}

/** Each worker of several says online/offline on its own retained topic, so one's Last Will does not speak for the others. */
export function workerStatusTopic(status: string, id: string | undefined): string {
  return id === undefined ? status : `${status}/${id}`;
}
