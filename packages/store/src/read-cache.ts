import type { DocumentStore } from './port.js';

interface Held {
  answer: Promise<unknown>;
  /** The collections' write counts when the read began. */
  writes: number;
  at: number;
}

/** What a write does to the answers held: which it may change, and which it tells. */
export interface WriteEffects<R> {
  changes: (key: string) => boolean;
  answers?: (written: R) => Iterable<[key: string, answer: unknown]>;
}

/** Answers held at most by default: enough for look-ups keyed by configuration. */
const MAX_ANSWERS = 1_000;

/**
 * Answers of reads held in memory until their collections are written, for
 * the look-ups sync makes on every change it handles. A write by this
 * process, through any code, drops them at once (DocumentStore.writeCount).
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

  constructor(
    private readonly store: DocumentStore,
    private readonly maxAgeMs: number,
    private readonly maxAnswers = MAX_ANSWERS,
  ) {}

  read<T>(key: string, collections: readonly string[], load: () => Promise<T>): Promise<T> {
    const writes = this.writesTo(collections);
    const now = Date.now();
    const held = this.held.get(key);
    const alone = this.store.aloneSince();
    if (held && held.writes === writes && ((alone !== undefined && alone <= held.at) || now - held.at < this.maxAgeMs)) {
      this.hold(key, held);
      return held.answer as Promise<T>;
    }
    const entry: Held = { answer: load(), writes, at: now };
    this.hold(key, entry);
    entry.answer.catch(() => {
      if (this.held.get(key) === entry) this.held.delete(key);
    });
    return entry.answer as Promise<T>;
  }

  /**
   * Makes `write`, one write of this process to `collections`, keeping the
   * answers it cannot change (`changes(key)` false: an insert changes only
   * the look-ups its document matches), where any write would drop them all,
   * and holding those it tells (`answers`: a document just inserted is what
   * a look-up by one of its unique keys finds). When another write to them
   * was made meanwhile, all go, as for any write.
   */
  async writing<R>(collections: readonly string[], write: () => Promise<R>, { changes, answers }: WriteEffects<R>): Promise<R> {
    const before = this.writesTo(collections);
    const alone = () => this.writesTo(collections) === before + 1;
    let written: R;
    try {
      written = await write();
    } finally {
      if (alone()) for (const [key, held] of this.held) if (held.writes === before && !changes(key)) held.writes = before + 1;
    }
    if (alone()) for (const [key, answer] of answers?.(written) ?? []) this.hold(key, { answer: Promise.resolve(answer), writes: before + 1, at: Date.now() });
    return written;
  }

  /** Holds `entry` as the answer used last (a Map keeps its keys in the order set); the one used longest ago goes beyond the bound. */
  private hold(key: string, entry: Held): void {
    this.held.delete(key);
    this.held.set(key, entry);
    if (this.held.size > this.maxAnswers) this.held.delete(this.held.keys().next().value!);
  }

  private writesTo(collections: readonly string[]): number {
    return collections.reduce((sum, collection) => sum + this.store.writeCount(collection), 0);
  }
}
