import { Semaphore } from 'async-mutex';
import { type Db, MongoClient, type Collection as MongoCollection, MongoServerError, type UpdateFilter } from 'mongodb';
import { assertCollectionName } from './collection-name.js';
import { withId, newId } from './ids.js';
import { DocumentLeases } from './document-leases.js';
import { SoleWriter } from './sole-writer.js';
import { databaseNameFromUri, describeLocation } from './mongodb-uri.js';
import { sentFilter } from './by-id-alone.js';
import { liftedFilter } from './lifted-filter.js';
import { InsertBatches } from './insert-batches.js';
import { CachedCollection } from './cached-collection.js';
import { DocumentCache } from './document-cache.js';
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
  type StoredDocument,
  type StoreOperation,
  type Update,
  type UpdateOptions,
  type UpdateResult,
} from './port.js';
import { CountingStore, WriteCounts } from './write-counts.js';
import { concurrentWrites, documentWrites, type WriteLock, type WriteReach, WriteLocks } from './write-lock.js';

/*
 * Runs on MongoDB 6+ and on FerretDB v1 (PostgreSQL or SQLite backend), so it
 * uses no transactions, no $expr and no aggregation beyond what countDocuments
 * needs.
 */

/**
 * Reads-then-writes one process sends FerretDB at once (documentWrites): with
 * the runtime processes sharing one FerretDB, well under its pool of 50
 * PostgreSQL connections, which that many would hold for ever.
 */
const FERRETDB_WRITES_AT_ONCE = 8;

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
    // connections (and the driver's pool is many connections), so there the writes to one document are queued
    // in-process (documentWrites); MongoDB's own atomicity needs no queue.
    const ferretDb = await isFerretDb(db);
    const slots = new Semaphore(FERRETDB_WRITES_AT_ONCE);
    const writes = new WriteCounts();
    const heard = (operation: StoreOperation) => writes.heard(operation);
    if (!ferretDb) return new MongoStore(client, db, new WriteLocks(() => concurrentWrites), writes, describeLocation(uri, db.databaseName));
    // Other processes on the same database are kept off a document by a lease (DocumentLeases), while there are any (SoleWriter).
    const leases = new DocumentLeases(db, heard);
    const sole = await SoleWriter.start(db, heard);
    const locks = new WriteLocks((name) => besideSoleWriter(sole, documentWrites(slots, (id, write) => sole.run(write, () => leases.hold(name, id, write)))));
    return new MongoStore(client, db, locks, writes, describeLocation(uri, db.databaseName), sole, FERRETDB_WRITES_AT_ONCE);
  } catch (error) {
    await client.close();
    throw error;
  }
}

/** Inserts and writes that may reach any document wait, as a document's do (without a lease), while another process holds the database alone. */
function besideSoleWriter(sole: SoleWriter, lock: WriteLock): WriteLock {
  return { run: (reach, write) => lock.run(reach, typeof reach === 'object' ? write : () => sole.run(write, write)) };
}

async function isFerretDb(db: Db): Promise<boolean> {
  const info = await db.command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string';
}

class MongoStore extends CountingStore implements DocumentStore {
  readonly kind = 'mongodb';
  private readonly inserts = new Map<string, InsertBatches<StoredDocument>>();
  /** On FerretDB, the documents read and written by `_id`, held while this process writes the database alone. */
  private readonly documents: DocumentCache | undefined;

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly locks: WriteLocks,
    protected readonly writes: WriteCounts,
    readonly location: string,
    /** On FerretDB v1 only, where a write to every match also goes as a write to each (MongoDbCollection.eachMatch). */
    private readonly sole?: SoleWriter,
    readonly writesAtOnce: number | undefined = undefined,
  ) {
    super();
    this.documents = sole === undefined ? undefined : new DocumentCache(() => sole.aloneSince());
  }

  collection<T extends StoredDocument = StoredDocument>(name: string): Collection<T> {
    assertCollectionName(name);
    const collection = new MongoDbCollection<T>(name, this.db.collection<StoredDocument>(name), this.locks.for(name), this.insertsOf(name), () => this.writes.add(name), this.sole !== undefined);
    const counted = this.writes.counting(collection, true);
    return this.documents === undefined ? counted : new CachedCollection(counted, this.documents);
  }

  /** One group commit of inserts per collection, whichever callers' handles they come through. */
  private insertsOf(name: string): InsertBatches<StoredDocument> {
    let inserts = this.inserts.get(name);
    if (inserts === undefined) {
      const lock = this.locks.for(name);
      const collection = this.db.collection<StoredDocument>(name);
      inserts = new InsertBatches<StoredDocument>((docs) =>
        lock.run('new', async () => {
          this.writes.heard({ collection: name, kind: 'insert', documents: docs.length });
          try {
            if (docs.length === 1) await collection.insertOne(docs[0]!);
            else await collection.insertMany(docs, { ordered: false });
          } finally {
            this.writes.add(name, docs.length);
          }
        }),
      );
      this.inserts.set(name, inserts);
    }
    return inserts;
  }

  aloneSince(): number | undefined {
    return this.sole?.aloneSince();
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.sole?.close();
    await this.client.close();
  }
}

class MongoDbCollection<T extends StoredDocument> implements Collection<T> {
  constructor(
    readonly name: string,
    private readonly collection: MongoCollection<StoredDocument>,
    private readonly lock: WriteLock,
    private readonly inserts: InsertBatches<StoredDocument>,
    private readonly written: () => void,
    /** FerretDB v1: a write to every match goes as a write to each (eachMatch), and a look-up by `_id` by it alone (byIdAlone). */
    private readonly onFerretDb: boolean,
  ) {}

  /** The filter as the server is sent it (sentFilter). */
  private sent(filter: Filter, upsert = false): Filter {
    return sentFilter(filter, this.onFerretDb, upsert);
  }

  async insertOne(doc: NewDocument<T>): Promise<T> {
    const stored = withId(doc);
    try {
      await this.inserts.insert(stored);
    } catch (error) {
      throw asDuplicateKeyError(this.name, error) ?? error;
    }
    return stored as unknown as T;
  }

  async insertMany(docs: NewDocument<T>[]): Promise<T[]> {
    const stored = docs.map((doc) => withId(doc));
    return this.write('new', async () => {
      // The driver refuses an empty batch; the embedded store inserts nothing.
      if (stored.length > 0) await this.collection.insertMany(stored, { ordered: true });
      return stored as unknown as T[];
    });
  }

  async findOne(filter: Filter, { sort, projection }: Pick<FindOptions, 'sort' | 'projection'> = {}): Promise<T | null> {
    checkFilter(filter);
    return (await this.collection.findOne(this.sent(filter), { sort, projection })) as T | null;
  }

  async find(filter: Filter, { sort, limit = 0, skip = 0, projection }: FindOptions = {}): Promise<T[]> {
    checkFilter(filter);
    return (await this.collection.find(this.sent(filter), { sort, limit, skip, projection }).toArray()) as T[];
  }

  async countDocuments(filter: Filter): Promise<number> {
    checkFilter(filter);
    return this.collection.countDocuments(this.sent(filter));
  }

  async updateOne(filter: Filter, update: Update, { upsert = false }: UpdateOptions = {}): Promise<UpdateResult> {
    checkWrite(filter, update, upsert);
    const lifted = liftedFilter(filter);
    return this.write(reachOf(lifted), async () => summarise(await this.collection.updateOne(this.sent(lifted, upsert), withStringIdOnInsert(lifted, update, upsert), { upsert })));
  }

  async updateMany(filter: Filter, update: Update, { upsert = false }: UpdateOptions = {}): Promise<UpdateResult> {
    checkWrite(filter, update, upsert);
    const lifted = liftedFilter(filter);
    if (this.onFerretDb && !upsert && reachOf(lifted) === 'any') {
      const each = await this.eachMatch(lifted, async (one) => summarise(await this.collection.updateOne(this.sent(one), update as UpdateFilter<StoredDocument>)));
      return each.reduce((sum, one) => ({ matchedCount: sum.matchedCount + one.matchedCount, modifiedCount: sum.modifiedCount + one.modifiedCount, upsertedId: null }), nothingUpdated);
    }
    return this.write(reachOf(lifted), async () => summarise(await this.collection.updateMany(this.sent(lifted, upsert), withStringIdOnInsert(lifted, update, upsert), { upsert })));
  }

  async findOneAndUpdate(filter: Filter, update: Update, { sort, upsert = false, returnDocument = 'after' }: FindOneAndUpdateOptions = {}): Promise<T | null> {
    checkWrite(filter, update, upsert);
    const lifted = liftedFilter(filter);
    return this.write(
      reachOf(lifted),
      async () => (await this.collection.findOneAndUpdate(this.sent(lifted, upsert), withStringIdOnInsert(lifted, update, upsert), { sort, upsert, returnDocument })) as T | null,
    );
  }

  async deleteOne(filter: Filter): Promise<number> {
    checkFilter(filter);
    const lifted = liftedFilter(filter);
    return this.write(reachOf(lifted), async () => (await this.collection.deleteOne(this.sent(lifted))).deletedCount);
  }

  async deleteMany(filter: Filter): Promise<number> {
    checkFilter(filter);
    const lifted = liftedFilter(filter);
    if (this.onFerretDb && reachOf(lifted) === 'any') {
      const each = await this.eachMatch(lifted, async (one) => (await this.collection.deleteOne(this.sent(one))).deletedCount);
      return each.reduce((sum, one) => sum + one, 0);
    }
    return this.write(reachOf(lifted), async () => (await this.collection.deleteMany(this.sent(lifted))).deletedCount);
  }

  async createIndex({ fields, unique = false }: IndexSpec): Promise<void> {
    return this.write('any', async () => {
      await this.collection.createIndex(Object.fromEntries(fields.map((field) => [field, 1])), { unique });
    });
  }

  /**
   * A write to every match, as a write to each match under its own
   * document's lock, its filter checked again there. On FerretDB a write that
   * may reach any document has the collection to itself (documentWrites),
   * since FerretDB rewrites each document as it read it: the queues' timed
   * recovery of lapsed claims held every claim and completion of its queue
   * back, each second, behind its turn. Found first, most often there is no
   * match, and nothing to write.
   */
  private async eachMatch<R>(filter: Filter, write: (one: Filter) => Promise<R>): Promise<R[]> {
    const matches = await this.collection.find(filter, { projection: { _id: 1 } }).toArray();
    return Promise.all(matches.map(({ _id }) => this.write({ document: _id }, () => write(narrowedTo(filter, _id)))));
  }

  private write<R>(reach: WriteReach, work: () => Promise<R>): Promise<R> {
    return this.lock.run(reach, async () => {
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

/** A filter that names one `_id` reaches that document only; any other may reach any. */
function reachOf(filter: Filter): WriteReach {
  return typeof filter._id === 'string' ? { document: filter._id } : 'any';
}

/** The filter for one of its matches: that document's `_id` in place of any condition on `_id`, which it met. */
function narrowedTo(filter: Filter, id: string): Filter {
  const { _id: _met, ...others } = filter;
  return { ...others, _id: id };
}

const nothingUpdated: UpdateResult = { matchedCount: 0, modifiedCount: 0, upsertedId: null };

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
