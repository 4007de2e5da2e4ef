import type { DocumentStore } from './port.js';

interface Held {
  answer: Promise<unknown>;
  /** The writes to its collections no `writing` here accounts for, when the read began. */
  unexplained: number;
  at: number;
}

/**
 * What a write does to the answers held: the keys of those it may change
 * (told what it wrote, or undefined when it failed), or all of them; and
 * those it tells.
 */
export interface WriteEffects<R> {
  changes: (written: R | undefined) => Iterable<string> | 'all';
  answers?: (written: R) => Iterable<[key: string, answer: unknown]>;
}

/** Writes through `writing` to one collection that overlap: from the first to begin until the last has ended. */
interface Overlap {
  writing: number;
  /** The collection's unexplained writes when the first began. */
  unexplained: number;
  /** What those that ended told, by key, less what a later one changed. */
  told: Map<string, unknown>;
}

/** Answers held at most by default: enough for look-ups keyed by configuration. */
const MAX_ANSWERS = 1_000;

/**
 * Answers of reads held in memory until their collections are written, for
 * the look-ups sync makes on every change it handles. A write by this
 * process, through any code, drops them at once (DocumentStore.writeCount),
 * but one made through `writing`, which drops only those it changes.
 * Writes by other runtime processes sharing a MongoDB database are not
 * counted there, so an answer read while others may write is also read
 * again once it is `maxAgeMs` old; one read while this process writes the
 * database alone is good as long as that lasts (DocumentStore.aloneSince).
 * Answers are shared: callers must not change them. Beyond `maxAnswers`,
 * the answer used longest ago goes: look-ups keyed by record (a record's
 * correlation, its attachments) outnumber any bound on a busy instance, and
 * dropping them all at the bound, as this once did, left most of them
 * unheld (B read 1.67 correlations per change at 1,000 records).
 */
export class ReadCache {
  private readonly held = new Map<string, Held>();
  /** Writes made through `writing`, by collection: their effects on the answers held are known. */
  private readonly explained = new Map<string, number>();
  /** By collection, the writes through `writing` under way, overlapping. */
  private readonly overlaps = new Map<string, Overlap>();

  constructor(
    private readonly store: DocumentStore,
    private readonly maxAgeMs: number,
    private readonly maxAnswers = MAX_ANSWERS,
  ) {}

  read<T>(key: string, collections: readonly string[], load: () => Promise<T>): Promise<T> {
    const held = this.peek<T>(key, collections);
    if (held !== undefined) return held;
    const entry: Held = { answer: load(), unexplained: this.unexplainedWrites(collections), at: Date.now() };
    this.hold(key, entry);
    entry.answer.catch(() => {
      if (this.held.get(key) === entry) this.held.delete(key);
    });
    return entry.answer as Promise<T>;
  }

  /** The answer held under `key` while it is good, as `read` would give it; undefined, and nothing read, otherwise. */
  peek<T>(key: string, collections: readonly string[]): Promise<T> | undefined {
    const held = this.held.get(key);
    if (!held || held.unexplained !== this.unexplainedWrites(collections)) return undefined;
    const alone = this.store.aloneSince();
    if (!((alone !== undefined && alone <= held.at) || Date.now() - held.at < this.maxAgeMs)) return undefined;
    this.hold(key, held);
    return held.answer as Promise<T>;
  }

  /**
   * Holds `answer` under `key` as of now, unread: the caller knows it (the
   * look-ups of a record just created here, under an id made here, find
   * nothing yet). Only while this process writes its database alone, as no
   * other can have made it otherwise; a write to `collections` lets it go as
   * it would an answer read.
   */
  know(key: string, collections: readonly string[], answer: unknown): void {
    if (this.store.aloneSince() === undefined) return;
    this.hold(key, { answer: Promise.resolve(answer), unexplained: this.unexplainedWrites(collections), at: Date.now() });
  }

  /**
   * Makes `write`, one write of this process to `collection`, letting go of
   * only the answers it may change (`changes`: an insert changes only the
   * look-ups its document matches), where a write made elsewhere lets
   * all go, and holding those it tells (`answers`: a document just inserted
   * is what a look-up by one of its unique keys finds). Writes made so may
   * overlap: each accounts for itself once it has ended, so that one
   * finishing while another is under way keeps the answers neither changes
   * (under load, before, any overlap let every answer go). An answer read
   * while a write was under way that changes it goes when that write ends.
   * What overlapping writes tell is held once the last of them has ended,
   * when the store's count of writes can say whether one made elsewhere
   * came meanwhile (the mongodb adapter counts inserts sent together at
   * once, before any of their callers resumes).
   */
  async writing<R>(collection: string, write: () => Promise<R>, { changes, answers }: WriteEffects<R>): Promise<R> {
    let overlap = this.overlaps.get(collection);
    if (overlap === undefined) {
      overlap = { writing: 0, unexplained: this.unexplainedWrites([collection]), told: new Map() };
      this.overlaps.set(collection, overlap);
    }
    overlap.writing += 1;
    // The store has counted the write by now, applied or failed.
    const ended = (written: { value: R } | undefined): void => {
      this.explained.set(collection, (this.explained.get(collection) ?? 0) + 1);
      const changed = changes(written?.value);
      if (changed === 'all') {
        this.held.clear();
        overlap.told.clear();
      } else {
        for (const key of changed) {
          this.held.delete(key);
          overlap.told.delete(key);
        }
      }
      if (written !== undefined) for (const [key, answer] of answers?.(written.value) ?? []) overlap.told.set(key, answer);
      overlap.writing -= 1;
      if (overlap.writing > 0) return;
      this.overlaps.delete(collection);
      // Told only when no write made elsewhere came meanwhile, which might have changed them since.
      if (this.unexplainedWrites([collection]) !== overlap.unexplained) return;
      for (const [key, answer] of overlap.told) this.hold(key, { answer: Promise.resolve(answer), unexplained: overlap.unexplained, at: Date.now() });
    };
    let written: R;
    try {
      written = await write();
    } catch (error) {
      ended(undefined);
      throw error;
    }
    ended({ value: written });
    return written;
  }

  /** Holds `entry` as the answer used last (a Map keeps its keys in the order set); the one used longest ago goes beyond the bound. */
  private hold(key: string, entry: Held): void {
    this.held.delete(key);
    this.held.set(key, entry);
    if (this.held.size > this.maxAnswers) this.held.delete(this.held.keys().next().value!);
  }

  /** Writes this process made to `collections` that no `writing` here accounts for. */
  private unexplainedWrites(collections: readonly string[]): number {
    return collections.reduce((sum, collection) => sum + this.store.writeCount(collection) - (this.explained.get(collection) ?? 0), 0);
  }
}
