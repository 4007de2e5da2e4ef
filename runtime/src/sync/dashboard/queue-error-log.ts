import type { DomainScope } from '../../domains/domain-scope.js';
import { newId, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';
import type { QueueItem } from '../queue-item.js';
import type { QueueMove } from '../queue-move.js';

/** One failed attempt of an item: retried after it or not, it stays counted. */
interface QueueError extends StoredDocument {
  at: number;
  item: string;
  remote_system: string;
  sys_domain: string;
  /** Whether the item went back to ready for another attempt. */
  retried: boolean;
}

/**
 * The errors of one queue as they happen. An item's state only tells its
 * last attempt: one that failed and was retried, or later processed, would
 * vanish from a count of items in error, so the dashboard counts these
 * instead. Written only when an attempt fails, never on the way of a change
 * that goes through.
 */
export class QueueErrorLog {
  private readonly errors: Collection<QueueError>;
  private indexed: Promise<void> | undefined;

  constructor(store: DocumentStore, collection: string) {
    this.errors = store.collection<QueueError>(collection);
  }

  /** The dashboard reads a window by time, and the retention cleaner deletes by it. */
  private index(): Promise<void> {
    return (this.indexed ??= this.errors.createIndex({ fields: ['at'], ordered: true }));
  }

  /** A move listener: keeps failed and retried attempts. */
  record({ step, item, at }: QueueMove<QueueItem>): void {
    if (step !== 'failed' && step !== 'retried') return;
    const error = { _id: newId(), at, item: item._id, remote_system: item.remote_system, sys_domain: item.sys_domain, retried: step === 'retried' };
    // The item keeps its own error; a write lost here (the store closing) only costs the chart one count.
    this.index()
      .then(() => this.errors.insertOne(error))
      .catch(() => undefined);
  }

  /** When each error `scope` sees happened, since `since`. */
  async since(since: number, scope: DomainScope): Promise<number[]> {
    await this.index();
    const found = await this.errors.find(scope.visible({ at: { $gte: since } }), { projection: { _id: 0, at: 1 } });
    return found.map((error) => error.at);
  }

  /** Deletes up to `limit` errors from before `before`; how many it deleted. */
  async deleteBefore(before: number, limit: number): Promise<number> {
    await this.index();
    const old = await this.errors.find({ at: { $lt: before } }, { sort: { at: 1 }, limit, projection: { _id: 1 } });
    if (old.length === 0) return 0;
    return this.errors.deleteMany({ _id: { $in: old.map((error) => error._id) } });
  }
}
