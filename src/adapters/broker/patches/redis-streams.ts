/**
 * Library patch (aedes 1.2.0 with aedes-persistence-redis 12.0.0, both pinned).
 *
 * Why: aedes-persistence-redis 12 is the first with `cleanIncoming` (11.x
 * keeps the QoS 2 dedup entries of ended clean sessions for ever), but its
 * retained-message streams are async generators, while aedes 1.2.0 (which
 * asks for ^11) calls `.pipe()` on them when a client subscribes: the broker
 * crashes on the first SUBSCRIBE. Wrapping them in Readable.from gives aedes
 * the stream it expects. The contract test (test/unit/adapters/broker/patches)
 * fails when either side changes.
 */
import { Readable } from 'node:stream';

interface RetainedStreams {
  createRetainedStream(pattern: string): unknown;
  createRetainedStreamCombi(patterns: string[]): unknown;
}

/** Makes the retained-message streams of `persistence` Node streams; returns it. */
export function withNodeStreams<P extends object>(persistence: P): P {
  const p = persistence as unknown as RetainedStreams;
  const single = p.createRetainedStream.bind(p);
  const combi = p.createRetainedStreamCombi.bind(p);
  p.createRetainedStream = (pattern) => asReadable(single(pattern));
  p.createRetainedStreamCombi = (patterns) => asReadable(combi(patterns));
  return persistence;
}

function asReadable(source: unknown): unknown {
  if (source instanceof Readable) return source;
  return Readable.from(source as AsyncIterable<unknown>);
}
