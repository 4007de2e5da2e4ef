import { CountedCollection } from './counted-collection.js';
import type { Collection, OperationCounts, OperationListener, StoredDocument, StoreOperation } from './port.js';

/**
 * How many writes this process has made to each collection. Copies of
 * documents held in memory (ReadCache) stay good while the count of their
 * collection stands, whatever code made the write. With
 * LOCKSTEP_COUNT_STORE_OPS=1, also every operation by kind, and what each
 * asked for those listening.
 */
export class WriteCounts {
  private readonly counts = new Map<string, number>();
  /**
   * Kept when the store opens with LOCKSTEP_COUNT_STORE_OPS=1 (the sync bench and the query tests set it), for
   * /health to show; otherwise nothing is wrapped or counted.
   */
  private readonly operations: OperationCounts | undefined =
    process.env.LOCKSTEP_COUNT_STORE_OPS === '1' ? { find: 0, insert: 0, update: 0, findAndModify: 0, delete: 0, count: 0, createIndex: 0 } : undefined;
  private readonly listeners = new Set<OperationListener>();

  of(collection: string): number {
    return this.counts.get(collection) ?? 0;
  }

  /** Called once a write has been applied, or failed: a failed write may have changed something. `writes`: those of several callers sent as one. */
  add(collection: string, writes = 1): void {
    this.counts.set(collection, this.of(collection) + writes);
  }

  /**
   * `collection` itself, or, when operations are counted, the same collection counting each call here
   * (but single inserts, when `insertsReported`: the adapter reports the commands that carry them).
   */
  counting<T extends StoredDocument>(collection: Collection<T>, insertsReported = false): Collection<T> {
    if (this.operations === undefined) return collection;
    return new CountedCollection(collection, (call) => this.heard({ collection: collection.name, ...call }), insertsReported);
  }

  /** One operation made, counted and told to the listeners when operations are counted: a port call, or one the adapter makes beside the port. */
  heard(operation: StoreOperation): void {
    if (this.operations === undefined) return;
    this.operations[operation.kind] += 1;
    for (const listener of this.listeners) listener(operation);
  }

  /** Operations by kind since the store opened, when they are counted. */
  operationCounts(): OperationCounts | undefined {
    return this.operations === undefined ? undefined : { ...this.operations };
  }

  onOperation(listener: OperationListener): () => void {
    if (this.operations === undefined) throw new Error('operations are heard of only when they are counted: open the store with LOCKSTEP_COUNT_STORE_OPS=1');
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The part of a DocumentStore every adapter answers from its WriteCounts alone. */
export abstract class CountingStore {
  protected abstract readonly writes: WriteCounts;

  writeCount(collection: string): number {
    return this.writes.of(collection);
  }

  operationCounts(): OperationCounts | undefined {
    return this.writes.operationCounts();
  }

  onOperation(listener: OperationListener): () => void {
    return this.writes.onOperation(listener);
  }
}
