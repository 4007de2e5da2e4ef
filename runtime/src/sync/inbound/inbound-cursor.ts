import { DuplicateKeyError, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';

/** How far one correlation key has been applied: the next item to apply has sequence `applied + 1`. */
interface StoredCursor extends StoredDocument {
  applied: number;
}

/** A cursor as this process last read or moved it. */
interface Known {
  applied: number;
  /** When the read began, or the move ended (epoch ms). */
  at: number;
  /** The collection's writes made in this process but by others than this, then: one more makes it stale. */
  othersWrites: number;
}

const CURSORS = 'sync_inbound_cursor';
/** Keys remembered at most; beyond it they are all forgotten and read again. */
const MAX_KNOWN = 10_000;

/**
 * Per correlation key, the last applied sequence. It is what makes a gap
 * wait: an item whose predecessor has not been applied (or skipped) is not
 * claimable, however long it has been ready.
 *
 * Read on receipt of each envelope and again before its claim, a cursor is
 * answered from memory, as this process last read or moved it, while the
 * process writes its database alone (DocumentStore.aloneSince) and no other
 * code here wrote the cursors: then every move is one of its own.
 *
 * The store counts a write when it is applied, this when the move's caller
 * resumes: the embedded store applies the writes of a group commit together
 * and resumes their callers one after the other, so a count taken among
 * them took the group's other moves for other code's writes, and what was
 * kept with it was read again from the store (0.7 reads per change under
 * load). So while other moves are under way, what a read or move learnt is
 * kept a turn later (setImmediate), once those applied with it are counted
 * as this one's; with none under way, at once.
 */
export class InboundCursors {
  private readonly cursors: Collection<StoredCursor>;
  private readonly known = new Map<string, Known>();
  /** Keys being moved now, and how many moves of each: what was learnt of them before is not kept. None: no move is under way. */
  private readonly moving = new Map<string, number>();
  /** Writes this made to the cursors, failed ones too, as the store counts them (DocumentStore.writeCount). */
  private ownWrites = 0;

  constructor(private readonly store: DocumentStore) {
    this.cursors = store.collection<StoredCursor>(CURSORS);
  }

  async applied(correlationKey: string): Promise<number> {
    const known = this.known.get(correlationKey);
    if (known !== undefined && this.stillSo(known)) return known.applied;
    const at = Date.now();
    const applied = (await this.cursors.findOne({ _id: correlationKey }))?.applied ?? 0;
    this.remember(correlationKey, applied, at);
    return applied;
  }

  /**
   * Compare-and-set `from` → `to`. False when the cursor was elsewhere (the
   * move was made already, by a run that crashed before reporting it).
   */
  async move(correlationKey: string, from: number, to: number): Promise<boolean> {
    this.known.delete(correlationKey);
    this.moving.set(correlationKey, (this.moving.get(correlationKey) ?? 0) + 1);
    let moved = false;
    try {
      const result = await this.cursors.updateOne({ _id: correlationKey, applied: from }, { $set: { applied: to } }, { upsert: from === 0 });
      moved = result.matchedCount + (result.upsertedId === null ? 0 : 1) > 0;
      return moved;
    } catch (error) {
      // The upsert of a new key met a cursor that already exists: it moved on.
      if (error instanceof DuplicateKeyError) return false;
      throw error;
    } finally {
      this.ownWrites += 1;
      const movesLeft = (this.moving.get(correlationKey) ?? 1) - 1;
      if (movesLeft === 0) this.moving.delete(correlationKey);
      else this.moving.set(correlationKey, movesLeft);
      if (moved) this.remember(correlationKey, to, Date.now());
    }
  }

  /** Keeps what was learnt `at`: at once, or a turn later while other moves are under way; not while the key is moved, nor over something learnt later (a move that ended after a read began). */
  private remember(correlationKey: string, applied: number, at: number): void {
    const keep = () => {
      if (this.moving.has(correlationKey) || (this.known.get(correlationKey)?.at ?? -1) > at) return;
      if (this.known.size >= MAX_KNOWN) this.known.clear();
      this.known.set(correlationKey, { applied, at, othersWrites: this.othersWrites() });
    };
    if (this.moving.size === 0) keep();
    else setImmediate(keep);
  }

  /** No process but this one has written the database since `known` was so, nor other code here the cursors. */
  private stillSo(known: Known): boolean {
    const alone = this.store.aloneSince();
    return alone !== undefined && alone < known.at && this.othersWrites() === known.othersWrites;
  }

  private othersWrites(): number {
    return this.store.writeCount(CURSORS) - this.ownWrites;
  }
}
