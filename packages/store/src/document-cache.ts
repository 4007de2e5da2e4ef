import model from '@seald-io/nedb/lib/model.js';
import { toNedbQuery } from './embedded-query.js';
import { withoutPullsFromMissingFields } from './embedded-update.js';
import type { Filter, StoredDocument, Update } from './port.js';

/** Documents held at most per collection, the one used longest ago going first. */
const MAX_DOCUMENTS = 5_000;
/** Writes to a collection's documents for each look-up by `_id`, at most, for what they write to be held. */
const WRITES_A_READ = 4;

interface Held {
  doc: StoredDocument;
  /** The hold on the database (aloneSince) it was read or written under. */
  since: number;
}

/** The writes in flight to one document. */
interface Writing {
  count: number;
  /** Whether two of them were in flight at once since none was: their order on the server is not known here. */
  overlapped: boolean;
}

/** One collection's documents held, by `_id`, and the writes in flight to it. */
class CollectionCache {
  readonly held = new Map<string, Held>();
  readonly writing = new Map<string, Writing>();
  /** Counts every write as it begins and as it ends: a read that saw it move may have read from before a write. */
  moves = 0;
  /** Writes in flight that may reach any document, and the count of all such begun. */
  anyInFlight = 0;
  anyBegan = 0;
  /** Look-ups by `_id`, and writes to one document: their documents are held as written only where look-ups are frequent. */
  reads = 0;
  writes = 0;

  /**
   * Whether a document written is worth holding: where it is looked up by
   * `_id` at least once for every WRITES_A_READ writes (a record, a cursor),
   * not where it never is (a flow context, written once a run; a queue
   * item, whose worker holds its own copy), whose copies would only cost
   * their making and push the others out.
   */
  get worthHolding(): boolean {
    return this.reads * WRITES_A_READ >= this.writes;
  }
}

/** A write begun: what its end needs to tell whether what it learnt of its document holds. */
export interface WriteTicket {
  collection: string;
  /** Its document; undefined for a write that may reach any. */
  id: string | undefined;
  /** The copy held when it began, if any. */
  prior: StoredDocument | undefined;
  anyBegan: number;
}

/**
 * The documents this process reads and writes by `_id`, held in memory
 * while it writes its FerretDB database alone (SoleWriter), where every
 * change to them is its own. A record is read before each update of it
 * (capture compares before and after) and by each flow that sends or
 * applies it: three round trips a change on the consumer, answered now by
 * the record as this process last wrote it. ReadCache holds the answers of
 * look-ups above the store and lets them go on any write to their
 * collections; this holds documents under the store and follows each write
 * to its document: an insert or a findAndModify holds what it wrote, an
 * update by `_id` is applied to the copy held (with NeDB's model, which the
 * embedded store writes with, and which the store contract holds to
 * MongoDB's meaning), and a write that may reach any document lets the
 * collection's copies go. When two writes to one document overlap, their
 * order on the server is not known here, so the copy goes.
 *
 * A look-up by `_id` with further conditions is answered by matching them
 * against the copy: a document that does not match them is not found (no
 * other has its `_id`). Only documents of plain values and dates are held,
 * and every caller gets a copy of its own.
 */
export class DocumentCache {
  private readonly collections = new Map<string, CollectionCache>();

  constructor(
    private readonly aloneSince: () => number | undefined,
    private readonly maxDocuments = MAX_DOCUMENTS,
  ) {}

  /** A copy of the document `filter` finds by its `_id`: undefined when none is held, null when the one held does not match. */
  find(collection: string, id: string, filter: Filter): StoredDocument | null | undefined {
    const cache = this.of(collection);
    cache.reads += 1;
    const held = this.valid(cache, id);
    if (held === undefined) return undefined;
    return model.match(held.doc, toNedbQuery(filter)) ? structuredClone(held.doc) : null;
  }

  /** Where a read by `_id` begins: what `filled` needs to tell whether a write came between. */
  reading(collection: string): number {
    return this.of(collection).moves;
  }

  /**
   * Holds what a read by `_id` found, unless a write to the collection
   * began or ended since `reading` (one that ended may have been in flight
   * when the read began, and come after it on the server), or is in flight.
   */
  filled(collection: string, moves: number, doc: StoredDocument | null): void {
    const cache = this.of(collection);
    if (doc !== null && cache.moves === moves && cache.anyInFlight === 0 && !cache.writing.has(doc._id)) this.hold(cache, doc);
  }

  /**
   * A write to the document `id` (undefined: any document) begins. While it
   * is the only one in flight to its document, the copy held stays and
   * answers look-ups as the document was before it: a look-up that overlaps
   * the write may see it before or after, and a record's flow that starts
   * as its relay clears its outbox then reads no round trip. A second write
   * to it (their order on the server is not known here), or one to any,
   * lets the copy go until they end.
   */
  begin(collection: string, id: string | undefined): WriteTicket {
    const cache = this.of(collection);
    cache.moves += 1;
    if (id === undefined) {
      cache.anyInFlight += 1;
      cache.anyBegan += 1;
      cache.held.clear();
      return { collection, id, prior: undefined, anyBegan: cache.anyBegan };
    }
    const prior = this.valid(cache, id)?.doc;
    cache.writes += 1;
    const writing = cache.writing.get(id) ?? { count: 0, overlapped: false };
    writing.count += 1;
    if (writing.count > 1) {
      writing.overlapped = true;
      cache.held.delete(id);
    }
    cache.writing.set(id, writing);
    return { collection, id, prior, anyBegan: cache.anyBegan };
  }

  /**
   * The write ended: `doc` is its document as the write left it, when the
   * write told it (undefined: not known, or it failed). It is held only
   * when no other write to it, nor one to any, overlapped this one.
   */
  end({ collection, id, anyBegan }: WriteTicket, doc: StoredDocument | undefined): void {
    const cache = this.of(collection);
    cache.moves += 1;
    if (id === undefined) {
      cache.anyInFlight -= 1;
      cache.held.clear();
      return;
    }
    const writing = cache.writing.get(id)!;
    const alone = writing.count === 1 && !writing.overlapped && cache.anyBegan === anyBegan && cache.anyInFlight === 0;
    writing.count -= 1;
    if (writing.count === 0) cache.writing.delete(id);
    cache.held.delete(id);
    if (alone && doc !== undefined && cache.worthHolding) this.hold(cache, doc);
  }

  /** The copy `prior` with `update` applied, as an update that `filter` matched leaves it; undefined when `filter` does not match it. */
  static updated(prior: StoredDocument, filter: Filter, update: Update): StoredDocument | undefined {
    if (!model.match(prior, toNedbQuery(filter))) return undefined;
    const applicable = withoutPullsFromMissingFields(update, prior);
    if (applicable === undefined) return prior;
    try {
      return model.modify(prior, applicable as Record<string, unknown>);
    } catch {
      // Left to the server to refuse or apply, as it did: the copy goes.
      return undefined;
    }
  }

  private of(collection: string): CollectionCache {
    let cache = this.collections.get(collection);
    if (cache === undefined) {
      cache = new CollectionCache();
      this.collections.set(collection, cache);
    }
    return cache;
  }

  private valid(cache: CollectionCache, id: string): Held | undefined {
    const held = cache.held.get(id);
    const since = this.aloneSince();
    if (held === undefined || since === undefined || held.since !== since) return undefined;
    // Used last: it goes last.
    cache.held.delete(id);
    cache.held.set(id, held);
    return held;
  }

  private hold(cache: CollectionCache, doc: StoredDocument): void {
    const since = this.aloneSince();
    if (since === undefined || !isPlain(doc)) return;
    cache.held.set(doc._id, { doc: structuredClone(doc), since });
    if (cache.held.size > this.maxDocuments) cache.held.delete(cache.held.keys().next().value!);
  }
}

/** Plain values, dates, arrays and plain objects only: what a copy keeps as it was (a driver's Binary would lose its class). */
function isPlain(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function' && typeof value !== 'symbol' && typeof value !== 'bigint';
  if (value instanceof Date) return true;
  if (Array.isArray(value)) return value.every(isPlain);
  const prototype = Object.getPrototypeOf(value) as unknown;
  return (prototype === Object.prototype || prototype === null) && Object.values(value).every(isPlain);
}
