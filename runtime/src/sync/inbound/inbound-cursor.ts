import { DuplicateKeyError, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';

/** How far one correlation key has been applied: the next item to apply has sequence `applied + 1`. */
interface StoredCursor extends StoredDocument {
  applied: number;
}

/**
 * Per correlation key, the last applied sequence. It is what makes a gap
 * wait: an item whose predecessor has not been applied (or skipped) is not
 * claimable, however long it has been ready.
 */
export class InboundCursors {
  private readonly cursors: Collection<StoredCursor>;

  constructor(store: DocumentStore) {
    this.cursors = store.collection<StoredCursor>('sync_inbound_cursor');
  }

  async applied(correlationKey: string): Promise<number> {
    return (await this.cursors.findOne({ _id: correlationKey }))?.applied ?? 0;
  }

  /**
   * Compare-and-set `from` → `to`. False when the cursor was elsewhere (the
   * move was made already, by a run that crashed before reporting it).
   */
  async move(correlationKey: string, from: number, to: number): Promise<boolean> {
    try {
      const result = await this.cursors.updateOne({ _id: correlationKey, applied: from }, { $set: { applied: to } }, { upsert: from === 0 });
      return result.matchedCount + (result.upsertedId === null ? 0 : 1) > 0;
    } catch (error) {
      // The upsert of a new key met a cursor that already exists: it moved on.
      if (error instanceof DuplicateKeyError) return false;
      throw error;
    }
  }
}
