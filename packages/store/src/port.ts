/**
 * The document-store port. Every DAO in the runtime talks to this, never to a
 * driver, so the same code runs on MongoDB (production) and on embedded NeDB
 * files (the zero-install default).
 *
 * Its semantics are a strict subset of MongoDB's: only the operators below are
 * allowed, because those are the ones both adapters implement identically
 * (the contract suite in runtime/test/store proves it on each adapter, the
 * mongodb one against FerretDB v1). Both adapters refuse anything else
 * (port-check.ts), so code developed on one cannot come to rely on the other's
 * extras.
 *
 * Made to answer as MongoDB does, where NeDB or FerretDB v1 would not:
 * - `null` (plain, or in `$eq`, `$ne`, `$in`, `$nin`) also means "missing";
 * - `$ne` and `$nin` on an array field mean "no element matches", and
 *   `$in`/`$nin` lists may hold arrays;
 * - a field set to `undefined` is not stored, and an `undefined` condition is
 *   ignored;
 * - `modifiedCount` counts only documents whose content changed;
 * - `$pull` from a missing field does nothing;
 * - `insertMany` is ordered: on a duplicate, the documents before it stay;
 * - an upsert inserts its filter with dotted paths expanded, under a string
 *   `_id` (never an ObjectId);
 * - a unique-index clash is always a `DuplicateKeyError`.
 *
 * Narrowed, because the three disagree on the rest:
 * - `$pull` takes plain values only, and an upsert's filter too;
 * - `$regex` only with what JavaScript, PCRE (MongoDB) and RE2 (FerretDB v1)
 *   share: no lookaround, no backreferences; flags `i`, `m`, `s` only;
 * - `$and`/`$or`/`$nor` need at least one filter.
 *
 * Left undefined, so callers must not rely on them:
 * - the order of results without a `sort`;
 * - sorting on a field holding arrays or mixed types, or on one where some
 *   documents have `null` and others lack the field (NeDB puts missing first);
 * - equality against a whole embedded document (MongoDB compares key order,
 *   NeDB does not): match on dotted paths instead;
 * - `$min`/`$max`/`$gt`… across different types;
 * - projections and dotted paths that reach into arrays of documents;
 * - a unique index over documents lacking its field (MongoDB and NeDB allow
 *   one such document, FerretDB v1 any number): give unique fields a value;
 * - which documents an `updateMany` changed before it failed.
 */

/** Every stored document has a string `_id`; the port generates one when absent. */
export interface StoredDocument {
  _id: string;
  [field: string]: unknown;
}

/** A document about to be inserted: `_id` is optional. */
export type NewDocument<T extends StoredDocument> = Omit<T, '_id'> & { _id?: string };

export type FieldCondition =
  | unknown
  | {
      $eq?: unknown;
      $ne?: unknown;
      $gt?: unknown;
      $gte?: unknown;
      $lt?: unknown;
      $lte?: unknown;
      $in?: unknown[];
      $nin?: unknown[];
      $exists?: boolean;
      $regex?: RegExp;
    };

/**
 * A query filter: field paths (dot notation allowed) mapped to a value or a
 * condition, combined with `$and` / `$or`.
 */
export interface Filter {
  $and?: Filter[];
  $or?: Filter[];
  /** None of the filters match; the portable way to negate (NeDB's `$not` and MongoDB's differ in shape). */
  $nor?: Filter[];
  [path: string]: FieldCondition | Filter[] | undefined;
}

export type PullValue = string | number | boolean | null | Date;

/** At least one operator; a bare replacement document is refused. */
export interface Update {
  $set?: Record<string, unknown>;
  $unset?: Record<string, true | '' | 1>;
  $inc?: Record<string, number>;
  $push?: Record<string, unknown | { $each: unknown[] }>;
  /**
   * Removes every element equal to the value. Only plain values: MongoDB reads
   * a condition or a document here as a query on the elements, FerretDB v1
   * as a value to compare whole.
   */
  $pull?: Record<string, PullValue>;
  $addToSet?: Record<string, unknown | { $each: unknown[] }>;
  $min?: Record<string, unknown>;
  $max?: Record<string, unknown>;
}

/** 1 = ascending, -1 = descending; keys are applied in insertion order. */
export type Sort = Record<string, 1 | -1>;

/** Inclusion (`{a: 1}`) or exclusion (`{a: 0}`) projection; `_id` is kept unless excluded. */
export type Projection = Record<string, 0 | 1>;

export interface FindOptions {
  sort?: Sort;
  /** @default 0 (no limit) */
  limit?: number;
  /** @default 0 */
  skip?: number;
  projection?: Projection;
}

export interface UpdateOptions {
  /**
   * When nothing matches, insert the filter's fields (dotted paths expanded)
   * with the update applied; `_id` comes from the filter or is generated. The
   * filter must then be plain values only: no operators, `$and`/`$or`, RegExp
   * or embedded documents. @default false
   */
  upsert?: boolean;
}

export interface FindOneAndUpdateOptions extends UpdateOptions {
  /** Which matching document to take when several match (a queue claim takes the oldest). */
  sort?: Sort;
  /** @default 'after' */
  returnDocument?: 'before' | 'after';
}

export interface UpdateResult {
  matchedCount: number;
  modifiedCount: number;
  /** The `_id` of the inserted document when an upsert inserted one. */
  upsertedId: string | null;
}

export interface IndexSpec {
  /** Field paths, in order; more than one makes a compound index. */
  fields: string[];
  /** @default false */
  unique?: boolean;
  /**
   * Leaves documents without the field out of the index, so that writing
   * them costs the index nothing: for a flag few documents carry at a time.
   * The embedded store keeps all documents with one value (missing
   * included) in one list, which every write to one of them rewrites. On
   * MongoDB the index is a plain one (FerretDB v1 has no sparse indexes);
   * queries cannot tell the two apart, since none finds a missing field
   * through an index. @default false
   */
  sparse?: boolean;
  /**
   * The fields after the first order what an equality on the first selects,
   * for a scan's sort and limit (a queue's oldest ready items), so that
   * MongoDB reads only what it returns. The embedded store indexes the
   * first field only: NeDB answers a query from one field's index, and
   * would use a compound one only for an equality on every field. Not with
   * `unique`. @default false
   */
  ordered?: boolean;
  /**
   * Serves an equality on the first field alone too (a key's items, whatever
   * else the query asks). MongoDB answers that from the compound index's
   * prefix. NeDB answers from a compound index only an equality on every
   * field, so the embedded store keeps an index of the first field beside
   * it, which NeDB takes for such a query before any other. @default false
   */
  byFirstFieldToo?: boolean;
}

export interface Collection<T extends StoredDocument = StoredDocument> {
  readonly name: string;
  insertOne(doc: NewDocument<T>): Promise<T>;
  /** In order; on a duplicate, the documents before it stay inserted and the rest are not. */
  insertMany(docs: NewDocument<T>[]): Promise<T[]>;
  findOne(filter: Filter, options?: Pick<FindOptions, 'sort' | 'projection'>): Promise<T | null>;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  countDocuments(filter: Filter): Promise<number>;
  updateOne(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult>;
  updateMany(filter: Filter, update: Update, options?: UpdateOptions): Promise<UpdateResult>;
  /**
   * Atomically picks the first match (by `sort`) and updates it. N concurrent
   * calls never return the same document while the update makes it stop
   * matching, which is what queue claims rely on. Across processes on one
   * database this holds on MongoDB for any filter, and on FerretDB v1 for a
   * filter that names one `_id` (the adapter holds a lease on the document
   * for the write: DocumentLeases); the embedded store is one process's.
   * So a claim shared across processes names its item's `_id`.
   */
  findOneAndUpdate(filter: Filter, update: Update, options?: FindOneAndUpdateOptions): Promise<T | null>;
  deleteOne(filter: Filter): Promise<number>;
  deleteMany(filter: Filter): Promise<number>;
  createIndex(spec: IndexSpec): Promise<void>;
}

export type StoreKind = 'embedded' | 'mongodb';

/** Store operations by kind, as the sync bench reports them: one per port call, named after its MongoDB command. */
export type OperationKind = 'find' | 'insert' | 'update' | 'findAndModify' | 'delete' | 'count' | 'createIndex';
export type OperationCounts = Record<OperationKind, number>;

/** One port call, as an operation listener hears of it: what it asked the database, not what it wrote. */
export interface StoreOperation {
  collection: string;
  kind: OperationKind;
  /** Absent for inserts and index creation. */
  filter?: Filter;
  sort?: Sort;
  limit?: number;
  /** Documents an insert carries. */
  documents?: number;
}

export type OperationListener = (operation: StoreOperation) => void;

export interface DocumentStore {
  readonly kind: StoreKind;
  /** Where the data lives, for logs and /health (a directory, or a URI without credentials). */
  readonly location: string;
  /** `name` is a letter, then letters, digits, `_` or `-`: it becomes a file name or a MongoDB collection name. */
  collection<T extends StoredDocument = StoredDocument>(name: string): Collection<T>;
  /**
   * Writes this process has made to the collection so far (applied or
   * failed): a copy of its documents held in memory is good while this
   * stands. Writes by other processes on the same database are not counted.
   */
  writeCount(collection: string): number;
  /**
   * Since when (epoch ms) this process has been the only one writing the
   * database, without a break; undefined while others may write. Copies of
   * documents read since then stay good as long as their collection's
   * writeCount stands (ReadCache). The embedded store: since ever (0), as
   * one process owns it; MongoDB: never; FerretDB v1: while the process
   * holds the database alone (SoleWriter).
   */
  aloneSince(): number | undefined;
  /**
   * Writes this process sends the database at once, where the adapter
   * bounds them (FerretDB v1: a few, each holding one of its connections);
   * undefined where it does not. Work run wider than this only waits for it.
   */
  readonly writesAtOnce: number | undefined;
  /** Operations by kind since the store opened; counted only with LOCKSTEP_COUNT_STORE_OPS=1, undefined otherwise. */
  operationCounts(): OperationCounts | undefined;
  /**
   * Tells `listener` of every operation from now on, until the returned
   * function is called: how the query tests see what the runtime asks. Only
   * where operations are counted (LOCKSTEP_COUNT_STORE_OPS=1); throws otherwise.
   */
  onOperation(listener: OperationListener): () => void;
  /** Throws when the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Defined with storage's other failures; exported here too, where its many callers have always found it. */
export { DuplicateKeyError } from './store-errors.js';
