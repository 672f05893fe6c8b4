import { ownsDevice, type Partition } from '../core/partition.js';

/**
 * WORKER_PARTITION: whether this worker scores a message, decided from its topic
 * alone, before any parsing, so the readings of other partitions cost one hash.
 * Every topic has exactly one owner, malformed ones included (partition 0 owns
 * what is not under the prefix), so each dead letter is published once.
 */
export function createPartitionFilter(partition: Partition, sensorPrefix: string): (topic: string) => boolean {
  const head = `${sensorPrefix}/`;
  return (topic) => (topic.startsWith(head) ? ownsDevice(partition, topic.slice(head.length)) : partition.index === 0);
}
