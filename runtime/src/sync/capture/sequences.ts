import { DuplicateKeyError, type Collection, type DocumentStore, type StoredDocument } from '../../store/port.js';

/** The last sequence number given out for one correlation key, and the intent it went to. */
export interface SequenceCounter extends StoredDocument {
  /** The correlation key. */
  _id: string;
  last: number;
  intent: string;
}

/** Competing relays on one correlation key (several runtime processes on MongoDB) settle within a few rounds. */
const MAX_ATTEMPTS = 50;

/**
 * Hands out sequence numbers per correlation key, 1, 2, 3… with no gap, to
 * the intents the relay moves. A number is given with a compare-and-set on
 * the key's counter, which also records the intent it went to: a relay that
 * crashed after taking a number, and moves the same intent again, gets the
 * same number back instead of skipping one.
 */
export class SequenceCounters {
  private readonly counters: Collection<SequenceCounter>;

  constructor(store: DocumentStore) {
    this.counters = store.collection<SequenceCounter>('sync_sequence');
  }

  /**
   * The intent's number, or null when it needs none because it was queued
   * already (`queued`). That check comes after reading the counter: the
   * relay queues an intent before numbering the record's next one, so a
   * counter that has moved on to another intent means this one is queued,
   * and a number must not be taken for it again.
   */
  async assign(key: string, intent: string, queued: () => Promise<boolean>): Promise<number | null> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const counter = await this.counters.findOne({ _id: key });
      if (counter?.intent === intent) return counter.last;
      if (await queued()) return null;
      const next = (counter?.last ?? 0) + 1;
      if (await this.advance(key, counter, next, intent)) return next;
    }
    throw new Error(`the sequence of ${key} kept changing under ${MAX_ATTEMPTS} attempts to number intent ${intent}`);
  }

  get(key: string): Promise<SequenceCounter | null> {
    return this.counters.findOne({ _id: key });
  }

  /** False when another relay got there first. No upsert: the port refuses one with a condition in its filter. */
  private async advance(key: string, seen: SequenceCounter | null, next: number, intent: string): Promise<boolean> {
    if (seen === null) {
      try {
        await this.counters.insertOne({ _id: key, last: next, intent });
        return true;
      } catch (error) {
        if (error instanceof DuplicateKeyError) return false;
        throw error;
      }
    }
    const { matchedCount } = await this.counters.updateOne({ _id: key, last: seen.last, intent: seen.intent }, { $set: { last: next, intent } });
    return matchedCount === 1;
  }
}
