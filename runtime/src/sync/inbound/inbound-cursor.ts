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

/** What `firstArrives` took for a key none of whose items was ever removed: given back to `forget`. */
export type Unseen = Readonly<Known>;

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
 * Read on receipt of each envelope (of a key's first, only the stored
 * cursor: firstArrives) and again before its claim, a cursor is
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
    return this.read(correlationKey, Date.now(), this.cursors.findOne({ _id: correlationKey }));
  }

  /**
   * How far the key is applied, as its first item (sequence 1) arrives,
   * reading only its stored cursor: `unseen` when there is none. Retention
   * writes a key's stored cursor before it removes any of its settled items
   * (keep), so with none, every item of the key applied or skipped here is
   * still queued; and a key's items are applied in order, its first before
   * any, so its first would be among them, which the queue's unique index
   * on key and sequence refuses. Its insert going through then makes the
   * key one that nothing was applied of: it is taken as applied nowhere
   * meanwhile, with no read of its settled items, until `forget` is given
   * the answer back because the insert did not go through. With the key
   * known, changing or its stored cursor being written, it is read as any.
   */
  async firstArrives(correlationKey: string): Promise<{ applied: number } | { unseen: Unseen }> {
    if (!this.mayAssume(correlationKey)) return { applied: await this.applied(correlationKey) };
    const at = Date.now();
    const othersWrites = this.othersWrites();
    const stored = await this.cursors.findOne({ _id: correlationKey });
    if (!this.mayAssume(correlationKey)) return { applied: await this.applied(correlationKey) };
    // Some settled item of the key was removed: read as any, with the stored cursor just read.
    if (stored !== null) return { applied: await this.read(correlationKey, at, Promise.resolve(stored)) };
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    const unseen: Unseen = { applied: 0, at, othersWrites };
    this.known.set(correlationKey, unseen);
    return { unseen };
  }

  /** Lets go of what `firstArrives` took for the key, unless something was learnt of it since. */
  forget(correlationKey: string, unseen: Unseen): void {
    if (this.known.get(correlationKey) === unseen) this.known.delete(correlationKey);
  }

  /** How far the key is applied, read `at`: the higher of its stored cursor (`stored`) and its last settled item; remembered. */
  private async read(correlationKey: string, at: number, stored: Promise<StoredCursor | null>): Promise<number> {
    const [cursor, settled] = await Promise.all([
      stored,
      this.items.findOne({ correlation_key: correlationKey, status: { $in: SETTLED } }, { sort: { sequence: -1 }, projection: { sequence: 1 } }),
    ]);
    const applied = Math.max(cursor?.applied ?? 0, settled?.sequence ?? 0);
    this.remember(correlationKey, applied, at);
    return applied;
  }

  /** Nothing is known of the key, it is not changing, and no stored cursor is being written: what `firstArrives` may take for it is not overtaken. */
  private mayAssume(correlationKey: string): boolean {
    return !this.known.has(correlationKey) && !this.moving.has(correlationKey) && this.cursorWritesUnderWay === 0;
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
