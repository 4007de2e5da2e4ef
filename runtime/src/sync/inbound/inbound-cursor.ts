import { DuplicateKeyError, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';
import type { QueueStatus } from '../queue-item.js';

/** How far one correlation key had been applied when its items that show it were removed, or an admin moved it back. */
interface StoredCursor extends StoredDocument {
  applied: number;
}

/** What the cursors read of the key's inbound items. */
interface SettledItem extends StoredDocument {
  correlation_key: string;
  sequence: number;
  status: QueueStatus;
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
/** The states of an item its key has gone past: applied, or skipped by an admin. */
const SETTLED: QueueStatus[] = ['processed', 'skipped'];

/**
 * Per correlation key, the last applied sequence. It is what makes a gap
 * wait: an item whose predecessor has not been applied (or skipped) is not
 * claimable, however long it has been ready.
 *
 * It is read, not kept: the highest sequence among the key's processed and
 * skipped items, or the stored cursor where that is higher. So the write
 * that records an item as processed is the one write of an apply, and there
 * is no moment when the cursor and the item disagree: on FerretDB a cursor
 * moved by a write of its own cost 0.7 ms of the server's CPU a change. The
 * stored cursor holds only what items no longer show: retention writes it
 * before it removes a key's settled items (keep), and a reprocess lowers it
 * before the item is ready again (movedBack).
 *
 * Read on receipt of each envelope and again before its claim, a cursor is
 * answered from memory, as this process last read or changed it, while the
 * process writes its database alone (DocumentStore.aloneSince) and no other
 * code here wrote the stored cursors: every change of a key's settled items
 * made here goes through this (recorded, movedBack).
 *
 * The store counts a write when it is applied, this when the write's caller
 * resumes: the embedded store applies the writes of a group commit together
 * and resumes their callers one after the other, so a count taken among
 * them took the group's other writes for other code's, and what was kept
 * with it was read again from the store (0.7 reads per change under load,
 * when every apply wrote a stored cursor). So while writes of the stored
 * cursors are under way, what a read or change learnt is kept a turn later
 * (setImmediate), once those applied with it are counted as this one's;
 * with none under way, which is nearly always, at once: an envelope's
 * admission, right after its receipt, finds what the receipt read.
 */
export class InboundCursors {
  private readonly cursors: Collection<StoredCursor>;
  private readonly known = new Map<string, Known>();
  /** Keys being changed now, and how many changes of each: what was learnt of them before is not kept. None: no change is under way. */
  private readonly moving = new Map<string, number>();
  /** Writes this made to the stored cursors, failed ones too, as the store counts them (DocumentStore.writeCount). */
  private ownWrites = 0;
  /** Writes of the stored cursors begun here and not yet answered. */
  private cursorWritesUnderWay = 0;

  constructor(
    private readonly store: DocumentStore,
    /** The inbound queue's items, whose settled ones show how far their keys were applied. */
    private readonly items: Collection<SettledItem>,
  ) {
    this.cursors = store.collection<StoredCursor>(CURSORS);
  }

  async applied(correlationKey: string): Promise<number> {
    const known = this.known.get(correlationKey);
    if (known !== undefined && this.stillSo(known)) return known.applied;
    const at = Date.now();
    const [stored, settled] = await Promise.all([
      this.cursors.findOne({ _id: correlationKey }),
      this.items.findOne({ correlation_key: correlationKey, status: { $in: SETTLED } }, { sort: { sequence: -1 }, projection: { sequence: 1 } }),
    ]);
    const applied = Math.max(stored?.applied ?? 0, settled?.sequence ?? 0);
    this.remember(correlationKey, applied, at);
    return applied;
  }

  /**
   * Takes the key as applied nowhere yet, unread: its first item arrives
   * (InboundQueue.enqueue tells when that holds), and its insert is to
   * check it. Undone by `forget` when the insert does not go through. Not
   * over what is known of the key, nor while it changes or stored cursors
   * are written (what `remember` would keep a turn later, after a `forget`).
   */
  assumeNew(correlationKey: string): void {
    if (this.known.has(correlationKey) || this.moving.has(correlationKey) || this.cursorWritesUnderWay > 0) return;
    this.remember(correlationKey, 0, Date.now());
  }

  /** Lets go of what was known of the key: it is read again when next asked. */
  forget(correlationKey: string): void {
    this.known.delete(correlationKey);
  }

  /**
   * The key goes on to `to`: `settle` records its item as processed or
   * skipped, which is what moves it. Its answer, null when the item was no
   * longer where the write expected it.
   */
  recorded<T>(correlationKey: string, to: number, settle: () => Promise<T | null>): Promise<T | null> {
    return this.changing(correlationKey, to, settle);
  }

  /**
   * An admin's reprocess moves the key back to `to`: the stored cursor
   * first, where it stands past `to`, then `reopen` makes the item ready
   * again. The other order would leave, for a moment, a ready item level
   * with the stored cursor, which would be taken for one whose finish a
   * crash lost, and recorded without running.
   */
  movedBack<T>(correlationKey: string, to: number, reopen: () => Promise<T | null>): Promise<T | null> {
    return this.changing(correlationKey, to, async () => {
      await this.writeCursor(() => this.cursors.updateOne({ _id: correlationKey, applied: { $gt: to } }, { $set: { applied: to } }));
      return reopen();
    });
  }

  /**
   * Before the key's settled items up to `applied` are removed (retention):
   * the stored cursor keeps what they showed, so that a repeat of one of
   * them is still refused and the key's next item still goes.
   */
  async keep(correlationKey: string, applied: number): Promise<void> {
    const raise = () => this.writeCursor(() => this.cursors.updateOne({ _id: correlationKey }, { $max: { applied } }, { upsert: true }));
    try {
      await raise();
    } catch (error) {
      // Another process made the key's cursor meanwhile: raised as it stands.
      if (!(error instanceof DuplicateKeyError)) throw error;
      await raise();
    }
  }

  /** Runs a change of the key, forgetting what was known of it meanwhile, and keeps `to` when the change was made. */
  private async changing<T>(correlationKey: string, to: number, change: () => Promise<T | null>): Promise<T | null> {
    this.known.delete(correlationKey);
    this.moving.set(correlationKey, (this.moving.get(correlationKey) ?? 0) + 1);
    let changed: T | null = null;
    try {
      changed = await change();
      return changed;
    } finally {
      const changesLeft = (this.moving.get(correlationKey) ?? 1) - 1;
      if (changesLeft === 0) this.moving.delete(correlationKey);
      else this.moving.set(correlationKey, changesLeft);
      if (changed !== null) this.remember(correlationKey, to, Date.now());
    }
  }

  /** A write of the stored cursors, counted as this one's whether or not it went through. */
  private async writeCursor(write: () => Promise<unknown>): Promise<void> {
    this.cursorWritesUnderWay += 1;
    try {
      await write();
    } finally {
      this.ownWrites += 1;
      this.cursorWritesUnderWay -= 1;
    }
  }

  /** Keeps what was learnt `at`: at once, or a turn later while stored cursors are being written; not while the key is changed, nor over something learnt later (a change that ended after a read began). */
  private remember(correlationKey: string, applied: number, at: number): void {
    const keep = () => {
      if (this.moving.has(correlationKey) || (this.known.get(correlationKey)?.at ?? -1) > at) return;
      if (this.known.size >= MAX_KNOWN) this.known.clear();
      this.known.set(correlationKey, { applied, at, othersWrites: this.othersWrites() });
    };
    if (this.cursorWritesUnderWay === 0) keep();
    else setImmediate(keep);
  }

  /** No process but this one has written the database since `known` was so, nor other code here the stored cursors. */
  private stillSo(known: Known): boolean {
    const alone = this.store.aloneSince();
    return alone !== undefined && alone < known.at && this.othersWrites() === known.othersWrites;
  }

  private othersWrites(): number {
    return this.store.writeCount(CURSORS) - this.ownWrites;
  }
}
