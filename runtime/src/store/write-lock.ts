import { Mutex } from 'async-mutex';

/**
 * Serialises a collection's writes inside this process, so a read-then-write
 * (a queue claim) cannot interleave with another write to the same collection.
 */
export interface WriteLock {
  runExclusive<T>(write: () => Promise<T>): Promise<T>;
}

export function exclusiveWrites(): WriteLock {
  return new Mutex();
}

/** For servers whose own writes are atomic (MongoDB): no in-process queueing. */
export const concurrentWrites: WriteLock = { runExclusive: (write) => write() };

/** One lock per collection name, made on first use. */
export class WriteLocks {
  private readonly locks = new Map<string, WriteLock>();

  constructor(private readonly make: () => WriteLock) {}

  for(collection: string): WriteLock {
    let lock = this.locks.get(collection);
    if (lock === undefined) {
      lock = this.make();
      this.locks.set(collection, lock);
    }
    return lock;
  }
}
