import { Mutex, type Semaphore } from 'async-mutex';
import { SharedExclusive } from './shared-exclusive.js';

/** What a write may change: one document its filter names by `_id`, only documents it inserts, or any. */
export type WriteReach = { document: string } | 'new' | 'any';

/**
 * Serialises a collection's writes inside this process where the server
 * would let them interleave, so that a read-then-write (a queue claim) sees
 * no other write to its document in between.
 */
export interface WriteLock {
  run<T>(reach: WriteReach, write: () => Promise<T>): Promise<T>;
}

/** One write of the collection at a time: the embedded store, whose group commit and NeDB's own queue expect it. */
export function exclusiveWrites(): WriteLock {
  const mutex = new Mutex();
  return { run: (_reach, write) => mutex.runExclusive(write) };
}

/** For servers whose own writes are atomic (MongoDB): no in-process queueing. */
export const concurrentWrites: WriteLock = { run: (_reach, write) => write() };

/** Holds one document against the writes of other processes while `write` runs (DocumentLeases). */
export type CrossProcessHold = <T>(id: string, write: () => Promise<T>) => Promise<T>;

/**
 * For FerretDB v1, which runs an update as a read, then a write of the
 * documents it read: two writes to one document, one at a time, and each
 * under `across`, which keeps other processes' writes off it; a write
 * that may change any document, alone. Inserts only add documents, which a
 * concurrent read-then-write either saw or did not, as on MongoDB, so they
 * run alongside everything but the writes that may change any document.
 *
 * The reads-then-writes (updates, findAndModify, deletes) also take one of
 * `slots`, shared by the store's collections: FerretDB answers each with a
 * query whose rows hold one of its PostgreSQL connections while the write
 * takes another, so as many at once as its pool has connections (50) each
 * hold one and wait for another, for ever. Inserts take one connection.
 */
export function documentWrites(slots: Semaphore, across: CrossProcessHold = (_id, write) => write()): WriteLock {
  const collection = new SharedExclusive();
  /** The last write queued on each document; a write waits for the one before it. */
  const queued = new Map<string, Promise<unknown>>();
  const oneAtATime = async <T>(id: string, write: () => Promise<T>): Promise<T> => {
    const mine = (queued.get(id) ?? Promise.resolve()).then(write);
    const settled = mine.catch(() => undefined);
    queued.set(id, settled);
    try {
      return await mine;
    } finally {
      if (queued.get(id) === settled) queued.delete(id);
    }
  };
  // The slot is taken last, once the write may go, so that no slot waits on a document's queue. The hold's own
  // insert and delete go in the slot too: outside it, more commands reached FerretDB at once, and fewer writes
  // were done in all.
  const inSlot = <T>(write: () => Promise<T>) => () => slots.runExclusive(write);
  return {
    run: (reach, write) => {
      if (reach === 'any') return collection.runExclusive(inSlot(write));
      if (reach === 'new') return collection.runShared(write);
      const { document } = reach;
      return collection.runShared(() => oneAtATime(document, inSlot(() => across(document, write))));
    },
  };
}

/** One lock per collection name, made on first use. */
export class WriteLocks {
  private readonly locks = new Map<string, WriteLock>();

  constructor(private readonly make: (collection: string) => WriteLock) {}

  for(collection: string): WriteLock {
    let lock = this.locks.get(collection);
    if (lock === undefined) {
      lock = this.make(collection);
      this.locks.set(collection, lock);
    }
    return lock;
  }
}
