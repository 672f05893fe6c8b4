/** The promise-style class of aedes-persistence-redis 12 (the package ships no types). */
declare module 'aedes-persistence-redis/asyncPersistence.js' {
  export default class AsyncRedisPersistence {
    constructor(options?: Record<string, unknown>);
    setup(broker: unknown): Promise<void>;
    destroy(): Promise<void>;
  }
}
