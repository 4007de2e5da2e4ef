import { type Db, MongoClient, type Collection as MongoCollection, MongoServerError, type UpdateFilter } from 'mongodb';
import { assertCollectionName } from './collection-name.js';
import { withId, newId } from './ids.js';
import { databaseNameFromUri, describeLocation } from './mongodb-uri.js';
import { checkFilter, checkWrite } from './port-check.js';
import {
  type Collection,
  type DocumentStore,
  DuplicateKeyError,
  type Filter,
  type FindOneAndUpdateOptions,
  type FindOptions,
  type IndexSpec,
  type NewDocument,
  type OperationCounts,
  type StoredDocument,
  type Update,
  type UpdateOptions,
  type UpdateResult,
} from './port.js';
import { WriteCounts } from './write-counts.js';
import { concurrentWrites, exclusiveWrites, type WriteLock, WriteLocks } from './write-lock.js';

/*
 * Runs on MongoDB 6+ and on FerretDB v1 (PostgreSQL or SQLite backend), so it
 * uses no transactions, no $expr and no aggregation beyond what countDocuments
 * needs.
 */

export interface MongoStoreOptions {
  uri: string;
  /** @default the URI's database, else 'lockstep' */
  databaseName?: string;
}

export async function openMongoStore({ uri, databaseName }: MongoStoreOptions): Promise<DocumentStore> {
  // Undefined fields are left out, as NeDB's JSON lines leave them out, instead of being stored as null.
  const client = new MongoClient(uri, { ignoreUndefined: true });
  await client.connect();
  try {
    const db = client.db(databaseName ?? databaseNameFromUri(uri) ?? 'lockstep');
    // FerretDB v1 runs findAndModify and conditional updates as a read then a write, not atomically across
    // connections (and the driver's pool is many connections), so there the writes of a collection are queued
    // in-process like the embedded store's; MongoDB's own atomicity needs no queue.
    const ferretDb = await isFerretDb(db);
    const locks = new WriteLocks(ferretDb ? exclusiveWrites : () => concurrentWrites);
    return new MongoStore(client, db, locks, describeLocation(uri, db.databaseName), !ferretDb);
  } catch (error) {
    await client.close();
    throw error;
  }
}

async function isFerretDb(db: Db): Promise<boolean> {
  const info = await db.command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string';
}

class MongoStore implements DocumentStore {
  readonly kind = 'mongodb';
  private readonly writes = new WriteCounts();

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly locks: WriteLocks,
    readonly location: string,
    readonly conditionalWritesAtomic: boolean,
  ) {}

  collection<T extends StoredDocument = StoredDocument>(name: string): Collection<T> {
    assertCollectionName(name);
    return this.writes.counting(new MongoDbCollection<T>(name, this.db.collection<StoredDocument>(name), this.locks.for(name), () => this.writes.add(name)));
  }

  writeCount(collection: string): number {
    return this.writes.of(collection);
  }

  operationCounts(): OperationCounts | undefined {
    return this.writes.operationCounts();
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

class MongoDbCollection<T extends StoredDocument> implements Collection<T> {
  constructor(
    readonly name: string,
    private readonly collection: MongoCollection<StoredDocument>,
    private readonly lock: WriteLock,
    private readonly written: () => void,
  ) {}

  async insertOne(doc: NewDocument<T>): Promise<T> {
    const stored = withId(doc);
    return this.write(async () => {
      await this.collection.insertOne(stored);
      return stored as unknown as T;
    });
  }

  async insertMany(docs: NewDocument<T>[]): Promise<T[]> {
    const stored = docs.map((doc) => withId(doc));
    return this.write(async () => {
      // The driver refuses an empty batch; the embedded store inserts nothing.
      if (stored.length > 0) await this.collection.insertMany(stored, { ordered: true });
      return stored as unknown as T[];
    });
  }

  async findOne(filter: Filter, { sort, projection }: Pick<FindOptions, 'sort' | 'projection'> = {}): Promise<T | null> {
    checkFilter(filter);
    return (await this.collection.findOne(filter, { sort, projection })) as T | null;
  }

  async find(filter: Filter, { sort, limit = 0, skip = 0, projection }: FindOptions = {}): Promise<T[]> {
    checkFilter(filter);
    return (await this.collection.find(filter, { sort, limit, skip, projection }).toArray()) as T[];
  }

  async countDocuments(filter: Filter): Promise<number> {
    checkFilter(filter);
    return this.collection.countDocuments(filter);
  }

  async updateOne(filter: Filter, update: Update, { upsert = false }: UpdateOptions = {}): Promise<UpdateResult> {
    checkWrite(filter, update, upsert);
    return this.write(async () => summarise(await this.collection.updateOne(filter, withStringIdOnInsert(filter, update, upsert), { upsert })));
  }

  async updateMany(filter: Filter, update: Update, { upsert = false }: UpdateOptions = {}): Promise<UpdateResult> {
    checkWrite(filter, update, upsert);
    return this.write(async () => summarise(await this.collection.updateMany(filter, withStringIdOnInsert(filter, update, upsert), { upsert })));
  }

  async findOneAndUpdate(filter: Filter, update: Update, { sort, upsert = false, returnDocument = 'after' }: FindOneAndUpdateOptions = {}): Promise<T | null> {
    checkWrite(filter, update, upsert);
    return this.write(
      async () =>
        (await this.collection.findOneAndUpdate(filter, withStringIdOnInsert(filter, update, upsert), { sort, upsert, returnDocument })) as T | null,
    );
  }

  async deleteOne(filter: Filter): Promise<number> {
    checkFilter(filter);
    return this.write(async () => (await this.collection.deleteOne(filter)).deletedCount);
  }

  async deleteMany(filter: Filter): Promise<number> {
    checkFilter(filter);
    return this.write(async () => (await this.collection.deleteMany(filter)).deletedCount);
  }

  async createIndex({ fields, unique = false }: IndexSpec): Promise<void> {
    return this.write(async () => {
      await this.collection.createIndex(Object.fromEntries(fields.map((field) => [field, 1])), { unique });
    });
  }

  private write<R>(work: () => Promise<R>): Promise<R> {
    return this.lock.runExclusive(async () => {
      try {
        return await work();
      } catch (error) {
        throw asDuplicateKeyError(this.name, error) ?? error;
      } finally {
        this.written();
      }
    });
  }
}

/**
 * Left alone, the server gives an upserted document an ObjectId; the port's ids
 * are strings. The cast is the driver boundary: a checked port update is a
 * subset of MongoDB's, which the driver's types cannot see through `unknown`.
 */
function withStringIdOnInsert(filter: Filter, update: Update, upsert: boolean): UpdateFilter<StoredDocument> {
  const driverUpdate = update as UpdateFilter<StoredDocument>;
  if (!upsert || filter._id !== undefined) return driverUpdate;
  return { ...driverUpdate, $setOnInsert: { _id: newId() } };
}

function summarise(result: { matchedCount: number; modifiedCount: number; upsertedId: unknown }): UpdateResult {
  return {
    matchedCount: result.matchedCount,
    modifiedCount: result.modifiedCount,
    upsertedId: result.upsertedId === null || result.upsertedId === undefined ? null : String(result.upsertedId),
  };
}

/** SQLite's words for a unique clash, and PostgreSQL's error code (unique_violation), as FerretDB passes them on. */
const ferretDbUniqueViolations = ['UNIQUE constraint failed', '(SQLSTATE 23505)'];

function asDuplicateKeyError(collection: string, error: unknown): DuplicateKeyError | undefined {
  if (!(error instanceof MongoServerError)) return undefined;
  if (error.code === 11000) return new DuplicateKeyError(collection, error.keyValue ?? undefined, { cause: error });
  // FerretDB v1 reports a unique clash caused by an update, a findAndModify or a unique index over duplicated
  // values as InternalError (code 1) carrying its backend's message, where MongoDB says E11000.
  if (error.code === 1 && ferretDbUniqueViolations.some((clue) => error.message.includes(clue))) return new DuplicateKeyError(collection, undefined, { cause: error });
  return undefined;
}
