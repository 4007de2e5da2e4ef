import type {
  Collection,
  Filter,
  FindOneAndUpdateOptions,
  FindOptions,
  IndexSpec,
  NewDocument,
  OperationKind,
  StoredDocument,
  Update,
  UpdateOptions,
  UpdateResult,
} from './port.js';

/**
 * A collection that reports the kind of each call before making it. One call
 * is one MongoDB command on the mongodb adapter (a cursor's further batches
 * aside), so the counts are round trips there; the embedded store's are calls.
 */
export class CountedCollection<T extends StoredDocument> implements Collection<T> {
  constructor(
    private readonly inner: Collection<T>,
    private readonly count: (kind: OperationKind) => void,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  insertOne(doc: NewDocument<T>): Promise<T> {
    this.count('insert');
    return this.inner.insertOne(doc);
  }

  insertMany(docs: NewDocument<T>[]): Promise<T[]> {
    this.count('insert');
    return this.inner.insertMany(docs);
  }

  findOne(filter: Filter, options?: Pick<FindOptions, 'sort' | 'projection'>): Promise<T | null> {
    this.count('find');
    return this.inner.findOne(filter, options);
  }

  find(filter: Filter, options?: FindOptions): Promise<T[]> {
    this.count('find');
    return this.inner.find(filter, options);
  }

  countDocuments(filter: Filter): Promise<number> {
    this.count('count');
    return this.inner.countDocuments(filter);
  }

  updateOne(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult> {
    this.count('update');
    return this.inner.updateOne(filter, update, options);
  }

  updateMany(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult> {
    this.count('update');
    return this.inner.updateMany(filter, update, options);
  }

  findOneAndUpdate(filter: Filter, update: Update, options?: FindOneAndUpdateOptions): Promise<T | null> {
    this.count('findAndModify');
    return this.inner.findOneAndUpdate(filter, update, options);
  }

  deleteOne(filter: Filter): Promise<number> {
    this.count('delete');
    return this.inner.deleteOne(filter);
  }

  deleteMany(filter: Filter): Promise<number> {
    this.count('delete');
    return this.inner.deleteMany(filter);
  }

  createIndex(spec: IndexSpec): Promise<void> {
    this.count('createIndex');
    return this.inner.createIndex(spec);
  }
}
