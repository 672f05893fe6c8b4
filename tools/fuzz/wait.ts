/** Anything with once/off, mqtt.js clients and sockets included. */
export interface OnceEmitter {
  once(event: never, listener: never): unknown;
  off(event: never, listener: never): unknown;
}

/** Resolves true on the first `event`, false if it has not come within `timeoutMs`. */
export function eventWithin(emitter: OnceEmitter, event: string, timeoutMs: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const listener = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      emitter.off(event as never, listener as never);
      resolve(false);
    }, timeoutMs);
    emitter.once(event as never, listener as never);
  });
}
