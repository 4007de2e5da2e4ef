import { insertedFirst, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';
import { InsertGroups } from '../insert-groups.js';

/** One sequence number given out for one correlation key, and the intent it went to. */
export interface SequenceNumber extends StoredDocument {
  /** `<correlation key>#<number>`: unique, so a number is given once however many relays ask at once. */
  _id: string;
  key: string;
  number: number;
  intent: string;
  /** The record's mod count at that intent's change. */
  mod_count: number;
}

/** A key's counter as it was kept before numbers were inserted one by one: read for a key that has no number yet. */
interface LegacyCounter extends StoredDocument {
  last: number;
  intent: string;
  mod_count?: number;
}

/** What numbering needs of an intent. */
export interface IntentToNumber {
  id: string;
  /** The record's mod count at the change: a record's intents are numbered in this order. */
  modCount: number;
  /** The change created the record, so its key most likely has no number yet. */
  creates: boolean;
}

/** Competing relays on one correlation key (several runtime processes on MongoDB) settle within a few rounds. */
const MAX_ATTEMPTS = 50;
/** Keys whose last number is remembered at most; beyond it they are all forgotten, and read again when next needed. */
const MAX_KNOWN = 10_000;
/**
 * How long a key's last number, as this process took it, is trusted without
 * a read. Retention removes only numbers days old (`forget`), so a number
 * this process remembers is never older than its key's removed ones, and
 * the next it inserts cannot be one removed after another process took it.
 */
const KNOWN_FOR_MS = 10 * 60_000;

/**
 * Hands out sequence numbers per correlation key, 1, 2, 3… with no gap, to
 * the intents the relay moves. A number is taken by inserting it, under a
 * unique id, with the intent it goes to: of the relays that ask for one
 * number at once, in this process or others on the same database, one
 * insert wins and the others meet a duplicate key and look again. A unique
 * insert is the one write FerretDB v1 does atomically (its updates are a
 * read, then a write of the whole document, so a compare-and-set there may
 * give one number twice). A relay that crashed after taking a number, and
 * moves the same intent again, finds it as the key's last and gets it back
 * instead of skipping one; when the intent was queued as well, it needs none.
 *
 * The numbers stay: a deleted one could be inserted again by a relay that
 * still remembers the one before it. Each key's last number is remembered as
 * this process took it, so the next change of a record is numbered with one
 * insert and no read; when another process took it meanwhile, the insert
 * fails and the last is read. The numbers a relay's round takes at once, one
 * for each of its records, go in one write (InsertGroups): on FerretDB one
 * insert a change was as many round trips, each a transaction of its own.
 */
export class SequenceCounters {
  private readonly numbers: Collection<SequenceNumber>;
  private readonly taken: InsertGroups<SequenceNumber>;
  private readonly legacy: Collection<LegacyCounter>;
  private readonly known = new Map<string, { number: SequenceNumber; at: number }>();

  constructor(
    store: DocumentStore,
    private readonly now: () => number = Date.now,
  ) {
    this.numbers = store.collection<SequenceNumber>('sync_sequence_number');
    this.taken = new InsertGroups(this.numbers);
    this.legacy = store.collection<LegacyCounter>('sync_sequence');
  }

  /** The index the read of a key's last number takes. */
  async prepare(): Promise<void> {
    await this.numbers.createIndex({ fields: ['key', 'number'] });
  }

  /**
   * The intent's number, or null when it needs none because it was queued
   * already (`queued`). The relay queues an intent before numbering the
   * next one of its key, so a key whose last number went to another intent
   * means this one may be queued: asked only when that intent's change came
   * at the same time or later, since a record's intents are numbered in the
   * order of its changes.
   */
  async assign(key: string, intent: IntentToNumber, queued: () => Promise<boolean>): Promise<number | null> {
    // Undefined is not known; null, no number yet. A guess for a new record's key, which the unique insert checks.
    let last: SequenceNumber | null | undefined = this.remembered(key) ?? (intent.creates ? null : undefined);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (last === undefined) last = await this.read(key);
      // Its own number: taken by a relay that may have stopped before queueing it, or by one that queued it and
      // was stopped (or overtaken by another process's relay) before clearing it from the outbox.
      if (last?.intent === intent.id) return (await queued()) ? null : last.number;
      if (mayHaveQueued(last, intent) && (await queued())) return null;
      const number = (last?.number ?? 0) + 1;
      const next: SequenceNumber = { _id: `${key}#${number}`, key, number, intent: intent.id, mod_count: intent.modCount };
      if (await insertedFirst(this.taken, next)) {
        this.remember(next);
        return number;
      }
      last = undefined;
    }
    throw new Error(`the sequence of ${key} kept changing under ${MAX_ATTEMPTS} attempts to number intent ${intent.id}`);
  }

  /** The key's last number given out, or null before its first. */
  async latest(key: string): Promise<SequenceNumber | null> {
    const last = await this.numbers.findOne({ key }, { sort: { number: -1 } });
    if (last !== null) return last;
    const counter = await this.legacy.findOne({ _id: key });
    return counter && { _id: `${key}#${counter.last}`, key, number: counter.last, intent: counter.intent, mod_count: counter.mod_count ?? Number.MAX_SAFE_INTEGER };
  }

  /**
   * Removes the numbers of queue items past their retention, but never a
   * key's last (what the next number follows) nor its first (a new record's
   * key is numbered from 1 with no read, which its unique insert checks):
   * without this the numbers would grow by one a change for ever. How many.
   */
  async forget(items: readonly { correlation_key: string; sequence: number }[]): Promise<number> {
    const byKey = new Map<string, number[]>();
    for (const { correlation_key: key, sequence } of items) if (sequence > 1) byKey.set(key, [...(byKey.get(key) ?? []), sequence]);
    const ids: string[] = [];
    for (const [key, numbers] of byKey) {
      const last = await this.latest(key);
      if (last !== null) ids.push(...numbers.filter((number) => number < last.number).map((number) => `${key}#${number}`));
    }
    return ids.length === 0 ? 0 : this.numbers.deleteMany({ _id: { $in: ids } });
  }

  /** The key's last number as this process took it, while it may be trusted. */
  private remembered(key: string): SequenceNumber | undefined {
    const entry = this.known.get(key);
    if (entry === undefined) return undefined;
    if (this.now() - entry.at < KNOWN_FOR_MS) return entry.number;
    this.known.delete(key);
    return undefined;
  }

  private async read(key: string): Promise<SequenceNumber | null> {
    this.known.delete(key);
    return this.latest(key);
  }

  private remember(number: SequenceNumber): void {
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    this.known.set(number.key, { number, at: this.now() });
  }
}

/** Whether the key's last number may have gone to `intent`'s before moving on: not when it is at an earlier change of the record, nor when there is none. */
function mayHaveQueued(last: SequenceNumber | null, intent: IntentToNumber): boolean {
  return last !== null && last.mod_count >= intent.modCount;
}
