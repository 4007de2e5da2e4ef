import type {
  Collection,
  Filter,
  FindOneAndUpdateOptions,
  FindOptions,
  IndexSpec,
  NewDocument,
  StoredDocument,
  StoreOperation,
  Update,
  UpdateOptions,
  UpdateResult,
} from './port.js';

/** What a counted collection reports of a call: the operation, less its collection. */
export type CountedCall = Omit<StoreOperation, 'collection'>;

/**
 * A collection that reports each call (its kind, and what it asked) before
 * making it. One call is one MongoDB command on the mongodb adapter (a
 * cursor's further batches aside), so the counts are round trips there; the
 * embedded store's are calls.
 */
export class CountedCollection<T extends StoredDocument> implements Collection<T> {
  constructor(
    private readonly inner: Collection<T>,
    private readonly report: (call: CountedCall) => void,
    /** The adapter reports its insert commands itself: it sends the inserts of several calls as one (InsertBatches). */
    private readonly insertsReported = false,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  insertOne(doc: NewDocument<T>): Promise<T> {
    if (!this.insertsReported) this.report({ kind: 'insert', documents: 1 });
    return this.inner.insertOne(doc);
  }

  insertMany(docs: NewDocument<T>[]): Promise<T[]> {
    this.report({ kind: 'insert', documents: docs.length });
    return this.inner.insertMany(docs);
  }

  findOne(filter: Filter, options?: Pick<FindOptions, 'sort' | 'projection'>): Promise<T | null> {
    this.report({ kind: 'find', filter, sort: options?.sort, limit: 1 });
    return this.inner.findOne(filter, options);
  }

  find(filter: Filter, options?: FindOptions): Promise<T[]> {
    this.report({ kind: 'find', filter, sort: options?.sort, limit: options?.limit });
    return this.inner.find(filter, options);
  }

  countDocuments(filter: Filter): Promise<number> {
    this.report({ kind: 'count', filter });
    return this.inner.countDocuments(filter);
  }

  updateOne(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult> {
    this.report({ kind: 'update', filter, limit: 1 });
    return this.inner.updateOne(filter, update, options);
  }

  updateMany(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult> {
    this.report({ kind: 'update', filter });
    return this.inner.updateMany(filter, update, options);
  }

  findOneAndUpdate(filter: Filter, update: Update, options?: FindOneAndUpdateOptions): Promise<T | null> {
    this.report({ kind: 'findAndModify', filter, sort: options?.sort, limit: 1 });
    return this.inner.findOneAndUpdate(filter, update, options);
  }

  deleteOne(filter: Filter): Promise<number> {
    this.report({ kind: 'delete', filter, limit: 1 });
    return this.inner.deleteOne(filter);
  }

  deleteMany(filter: Filter): Promise<number> {
    this.report({ kind: 'delete', filter });
    return this.inner.deleteMany(filter);
  }

  createIndex(spec: IndexSpec): Promise<void> {
    this.report({ kind: 'createIndex' });
    return this.inner.createIndex(spec);
  }
}
