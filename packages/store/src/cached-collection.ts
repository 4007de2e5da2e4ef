import { DocumentCache, type WriteTicket } from './document-cache.js';
import { withId } from './ids.js';
import { liftedFilter } from './lifted-filter.js';
import type {
  Collection,
  Filter,
  FindOneAndUpdateOptions,
  FindOptions,
  IndexSpec,
  NewDocument,
  StoredDocument,
  Update,
  UpdateOptions,
  UpdateResult,
} from './port.js';

/**
 * A collection whose look-ups by `_id` are answered from the documents
 * held (DocumentCache) when they can be, and whose writes keep those in
 * step. It wraps the counted collection, so that a look-up answered here
 * is no round trip in the counts.
 */
export class CachedCollection<T extends StoredDocument> implements Collection<T> {
  constructor(
    private readonly inner: Collection<T>,
    private readonly cache: DocumentCache,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  insertOne(doc: NewDocument<T>): Promise<T> {
    const stored = withId(doc);
    return this.ended(this.cache.begin(this.name, stored._id), () => this.inner.insertOne(stored as NewDocument<T>), (inserted) => inserted);
  }

  /** Not held: new documents change none held. */
  insertMany(docs: NewDocument<T>[]): Promise<T[]> {
    return this.inner.insertMany(docs);
  }

  async findOne(filter: Filter, options?: Pick<FindOptions, 'sort' | 'projection'>): Promise<T | null> {
    const id = idOf(filter);
    if (id === undefined || options?.projection !== undefined) return this.inner.findOne(filter, options);
    const held = this.cache.find(this.name, id, liftedFilter(filter));
    if (held !== undefined) return held as T | null;
    const moves = this.cache.reading(this.name);
    const found = await this.inner.findOne(filter, options);
    this.cache.filled(this.name, moves, found);
    return found;
  }

  find(filter: Filter, options?: FindOptions): Promise<T[]> {
    return this.inner.find(filter, options);
  }

  countDocuments(filter: Filter): Promise<number> {
    return this.inner.countDocuments(filter);
  }

  updateOne(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult> {
    const ticket = this.cache.begin(this.name, idOf(filter));
    return this.ended(
      ticket,
      () => this.inner.updateOne(filter, update, options),
      ({ matchedCount }, prior) => (matchedCount === 1 && prior !== undefined ? DocumentCache.updated(prior, liftedFilter(filter), update) : undefined),
    );
  }

  updateMany(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult> {
    return this.ended(this.cache.begin(this.name, undefined), () => this.inner.updateMany(filter, update, options), () => undefined);
  }

  findOneAndUpdate(filter: Filter, update: Update, options?: FindOneAndUpdateOptions): Promise<T | null> {
    const ticket = this.cache.begin(this.name, idOf(filter));
    const after = options?.returnDocument !== 'before';
    return this.ended(ticket, () => this.inner.findOneAndUpdate(filter, update, options), (answer) => (after && answer !== null ? answer : undefined));
  }

  deleteOne(filter: Filter): Promise<number> {
    return this.ended(this.cache.begin(this.name, idOf(filter)), () => this.inner.deleteOne(filter), () => undefined);
  }

  deleteMany(filter: Filter): Promise<number> {
    return this.ended(this.cache.begin(this.name, idOf(filter)), () => this.inner.deleteMany(filter), () => undefined);
  }

  createIndex(spec: IndexSpec): Promise<void> {
    return this.inner.createIndex(spec);
  }

  /** Makes the write, then ends its ticket with the document as it left it (`after`), or none when it failed. */
  private async ended<R>(ticket: WriteTicket, write: () => Promise<R>, after: (answer: R, prior: StoredDocument | undefined) => StoredDocument | undefined): Promise<R> {
    let doc: StoredDocument | undefined;
    try {
      const answer = await write();
      doc = after(answer, ticket.prior);
      return answer;
    } finally {
      this.cache.end(ticket, doc);
    }
  }
}

/** The one document a filter names by `_id`, if it names one. */
function idOf(filter: Filter): string | undefined {
  const id = liftedFilter(filter)._id;
  return typeof id === 'string' ? id : undefined;
}
