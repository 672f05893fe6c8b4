/**
 * Per-device affinity on any broker: n workers each receive every reading and
 * score only the devices they own. A device belongs to partition
 * `fnv1a32(utf8(device id)) mod n`, a hash anyone can recompute (it is the
 * 32-bit FNV-1a of the id's UTF-8 bytes), stable across processes, restarts
 * and versions.
 */
export interface Partition {
  /** This worker's partition, 0 .. count-1. */
  readonly index: number;
  readonly count: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a of the UTF-8 encoding of `text`, without allocating the bytes. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  const mix = (byte: number) => {
    hash = Math.imul(hash ^ byte, FNV_PRIME);
  };
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    // A surrogate pair is one code point; a lone surrogate is encoded as U+FFFD, as TextEncoder does.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      } else code = 0xfffd;
    } else if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) mix(code);
    else if (code < 0x800) {
      mix(0xc0 | (code >> 6));
      mix(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      mix(0xe0 | (code >> 12));
      mix(0x80 | ((code >> 6) & 0x3f));
      mix(0x80 | (code & 0x3f));
    } else {
      mix(0xf0 | (code >> 18));
      mix(0x80 | ((code >> 12) & 0x3f));
      mix(0x80 | ((code >> 6) & 0x3f));
      mix(0x80 | (code & 0x3f));
    }
  }
  return hash >>> 0;
}

/** The partition a device belongs to among `count`. */
export function partitionOf(device: string, count: number): number {
  return fnv1a32(device) % count;
}

/** True when `partition` owns `device`. */
export function ownsDevice(partition: Partition, device: string): boolean {
  return partition.count === 1 || partitionOf(device, partition.count) === partition.index;
}
