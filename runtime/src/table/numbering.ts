import type { Collection, DocumentStore, StoredDocument } from '../store/port.js';

interface NumberCounter extends StoredDocument {
  next: number;
}

/** The original's numbers start at 0010001 and have seven digits. */
const FIRST = 10_001;

/**
 * Hands out record numbers (INC0010001, CS0010002 …) per prefix. The counter
 * is bumped with one atomic findOneAndUpdate, so concurrent inserts, even from
 * several runtime processes on MongoDB, never share a number.
 */
export class RecordNumbers {
  private readonly counters: Collection<NumberCounter>;

  constructor(store: DocumentStore) {
    this.counters = store.collection<NumberCounter>('sys_number');
  }

  async next(prefix: string): Promise<string> {
    const counter = await this.counters.findOneAndUpdate({ _id: prefix }, { $inc: { next: 1 } }, { upsert: true, returnDocument: 'after' });
    const issued = FIRST - 1 + (counter?.next ?? 1);
    return prefix + String(issued).padStart(7, '0');
  }
}
