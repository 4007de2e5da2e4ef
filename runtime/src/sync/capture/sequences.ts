import { DuplicateKeyError, type Collection, type DocumentStore, type StoredDocument } from '../../store/port.js';

/** The last sequence number given out for one correlation key, and the intent it went to. */
export interface SequenceCounter extends StoredDocument {
  /** The correlation key. */
  _id: string;
  last: number;
  intent: string;
  /** The record's mod count at that intent's change; missing on counters from before it was kept. */
  mod_count?: number;
}

/** What numbering needs of an intent. */
export interface IntentToNumber {
  id: string;
  /** The record's mod count at the change: a record's intents are numbered in this order. */
  modCount: number;
  /** The change created the record, so its key most likely has no counter yet. */
  creates: boolean;
}

/** Competing relays on one correlation key (several runtime processes on MongoDB) settle within a few rounds. */
const MAX_ATTEMPTS = 50;
/** Counters remembered at most; beyond it they are all forgotten, and read again when next needed. */
const MAX_KNOWN = 10_000;

/**
 * Hands out sequence numbers per correlation key, 1, 2, 3… with no gap, to
 * the intents the relay moves. A number is given with a compare-and-set on
 * the key's counter, which also records the intent it went to: a relay that
 * crashed after taking a number, and moves the same intent again, gets the
 * same number back instead of skipping one.
 *
 * Each counter is remembered as this process last saw it, so the next change
 * of a record is numbered with one write and no read; when another process
 * moved the counter meanwhile, the compare-and-set fails and it is read.
 */
export class SequenceCounters {
  private readonly counters: Collection<SequenceCounter>;
  private readonly known = new Map<string, SequenceCounter>();

  constructor(store: DocumentStore) {
    this.counters = store.collection<SequenceCounter>('sync_sequence');
  }

  /**
   * The intent's number, or null when it needs none because it was queued
   * already (`queued`). The relay queues an intent before numbering the
   * next one of its key, so a counter that has moved on to another intent
   * means this one may be queued: asked only when that intent's change came
   * at the same time or later, since a record's intents are numbered in the
   * order of its changes.
   */
  async assign(key: string, intent: IntentToNumber, queued: () => Promise<boolean>): Promise<number | null> {
    // Undefined is not known; null, no counter. A guess for a new record's key, which the compare-and-set checks.
    let counter: SequenceCounter | null | undefined = this.known.get(key) ?? (intent.creates ? null : undefined);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (counter === undefined) counter = await this.read(key);
      if (counter?.intent === intent.id) return counter.last;
      if (mayHaveQueued(counter, intent) && (await queued())) return null;
      const next: SequenceCounter = { _id: key, last: (counter?.last ?? 0) + 1, intent: intent.id, mod_count: intent.modCount };
      if (await this.advance(counter, next)) {
        this.remember(next);
        return next.last;
      }
      counter = undefined;
    }
    throw new Error(`the sequence of ${key} kept changing under ${MAX_ATTEMPTS} attempts to number intent ${intent.id}`);
  }

  get(key: string): Promise<SequenceCounter | null> {
    return this.counters.findOne({ _id: key });
  }

  private async read(key: string): Promise<SequenceCounter | null> {
    const counter = await this.get(key);
    this.known.delete(key);
    return counter;
  }

  private remember(counter: SequenceCounter): void {
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    this.known.set(counter._id, counter);
  }

  /** False when another relay got there first. No upsert: the port refuses one with a condition in its filter. */
  private async advance(seen: SequenceCounter | null, next: SequenceCounter): Promise<boolean> {
    if (seen === null) {
      try {
        await this.counters.insertOne(next);
        return true;
      } catch (error) {
        if (error instanceof DuplicateKeyError) return false;
        throw error;
      }
    }
    const { matchedCount } = await this.counters.updateOne({ _id: next._id, last: seen.last, intent: seen.intent }, { $set: { last: next.last, intent: next.intent, mod_count: next.mod_count } });
    return matchedCount === 1;
  }
}

/** Whether the counter may have numbered `intent` before moving on: not when it is at an earlier change of the record, nor when there is none. */
function mayHaveQueued(counter: SequenceCounter | null, intent: IntentToNumber): boolean {
  if (counter === null) return false;
  return counter.mod_count === undefined || counter.mod_count >= intent.modCount;
}
