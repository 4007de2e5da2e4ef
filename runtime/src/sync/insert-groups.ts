import { DuplicateKeyError, type Collection, type StoredDocument } from '@lockstep/store';

interface Pending<T> {
  doc: T;
  settle(outcome: Promise<T>): void;
}

/**
 * Inserts asked for in one turn of the event loop, written together in one
 * ordered insertMany: the envelopes of a peer's batch request are queued in
 * one round trip where there were as many as envelopes (on FerretDB, each
 * its own transaction), and the sequence numbers of a relay's round taken
 * in one. Each insert answers as insertOne would. After a
 * unique clash the store does not say which of the group went in before it,
 * so each goes again alone, and one that meets its own copy, stored by the
 * group's write, is answered as inserted.
 */
export class InsertGroups<T extends StoredDocument> {
  private waiting: Pending<T>[] = [];

  constructor(private readonly collection: Collection<T>) {}

  /** Answers as Collection.insertOne would, so it serves where one is asked for (insertedFirst). */
  insertOne(doc: T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ doc, settle: (outcome) => outcome.then(resolve, reject) });
      // The first of a turn schedules the write; the others of the turn join it.
      if (this.waiting.length === 1) setImmediate(() => void this.write(this.waiting.splice(0)));
    });
  }

  private async write(group: Pending<T>[]): Promise<void> {
    const [only] = group;
    if (only !== undefined && group.length === 1) return only.settle(this.collection.insertOne(only.doc));
    try {
      const stored = await this.collection.insertMany(group.map(({ doc }) => doc));
      group.forEach(({ settle }, index) => settle(Promise.resolve(stored[index] as T)));
    } catch (error) {
      for (const one of group) one.settle(error instanceof DuplicateKeyError ? this.alone(one.doc) : Promise.reject(error));
    }
  }

  private async alone(doc: T): Promise<T> {
    try {
      return await this.collection.insertOne(doc);
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      const stored = await this.collection.findOne({ _id: doc._id });
      if (stored !== null && isCopyOf(stored, doc)) return stored;
      throw error;
    }
  }
}

/**
 * True when `stored` holds every field of `doc` as it is: the document a
 * group's write inserted, not an earlier one with its `_id` (an inbound
 * item's queue time tells a repeated envelope from it, but for one queued
 * in the same millisecond, which is then answered as queued: it is).
 */
function isCopyOf(stored: StoredDocument, doc: StoredDocument): boolean {
  return Object.entries(doc).every(([field, value]) => JSON.stringify(stored[field]) === JSON.stringify(value));
}
