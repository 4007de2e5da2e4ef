import type { TableDictionary } from '../dictionary/dictionary.js';
import type { Collection, DocumentStore, StoredDocument } from '@lockstep/store';
import { DELETED, OUTBOX, OUTBOX_PENDING } from './record-capture.js';

/** A record with intents waiting to be relayed. */
export interface PendingOutbox {
  /** The collection of the record's table hierarchy. */
  storage: string;
  sysId: string;
  /** Its intents as stored (JSON text), oldest first. */
  entries: string[];
  /** A tombstone: the record was deleted, and goes once its intents are relayed. */
  deleted: boolean;
}

interface OutboxFields extends StoredDocument {
  [OUTBOX]?: string[];
  [DELETED]?: boolean;
}

/**
 * The records' outboxes, as the relay sees them. Records stay in their table
 * hierarchy's collection, so this is the one place besides the record store
 * that knows their internal outbox fields.
 */
export class RecordOutboxes {
  constructor(
    private readonly store: DocumentStore,
    private readonly dictionary: TableDictionary,
  ) {}

  private collection(storage: string): Collection<OutboxFields> {
    return this.store.collection<OutboxFields>(storage);
  }

  /** Up to `limit` records per table hierarchy whose outbox holds intents. */
  async pending(limit: number): Promise<PendingOutbox[]> {
    const storages = [...new Set(this.dictionary.list().map((table) => table.storage))];
    const found = await Promise.all(
      storages.map(async (storage) => {
        const records = await this.collection(storage).find({ [OUTBOX_PENDING]: true }, { limit, projection: { [OUTBOX]: 1, [DELETED]: 1 } });
        return records.map((record) => ({ storage, sysId: record._id, entries: record[OUTBOX] ?? [], deleted: record[DELETED] === true }));
      }),
    );
    return found.flat();
  }

  /**
   * Once all its intents are relayed: empties the outbox (a tombstone goes)
   * and the record stops being pending, in one write. False when intents were
   * appended meanwhile, which the write then leaves alone.
   */
  async clear(outbox: PendingOutbox): Promise<boolean> {
    const records = this.collection(outbox.storage);
    const unchanged = { _id: outbox.sysId, [OUTBOX]: outbox.entries };
    if (outbox.deleted) return (await records.deleteOne({ ...unchanged, [DELETED]: true })) === 1;
    return (await records.updateOne(unchanged, { $set: { [OUTBOX]: [] }, $unset: { [OUTBOX_PENDING]: true } })).matchedCount === 1;
  }

  /** Removes exactly this intent; intents appended meanwhile stay, since a `$pull` of one value commutes with a `$push`. */
  async remove(outbox: PendingOutbox, entry: string): Promise<void> {
    await this.collection(outbox.storage).updateOne({ _id: outbox.sysId }, { $pull: { [OUTBOX]: entry } });
  }
}
