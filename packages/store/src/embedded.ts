import { statSync } from 'node:fs';
import { access, chmod, constants, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import nedb from '@seald-io/nedb';
import { assertCollectionName } from './collection-name.js';
import { isPlainObject } from './condition.js';
import { type NedbQuery, toNedbQuery } from './embedded-query.js';
import { LARGE_FILE_BYTES, loadQuickly } from './embedded-load.js';
import { type Change, withoutPullsFromMissingFields } from './embedded-update.js';
import { GroupCommit } from './group-commit.js';
import { moveOnlyChangedIndexKeys } from './embedded-index-moves.js';
import { newId, withId } from './ids.js';
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
  type Sort,
  type StoredDocument,
  type Update,
  type UpdateOptions,
  type UpdateResult,
} from './port.js';
import { upsertSeed } from './upsert-seed.js';
import { CountingStore, WriteCounts } from './write-counts.js';
import { exclusiveWrites, type WriteLock, WriteLocks } from './write-lock.js';

// NeDB's typings say `export default`, but the package is CommonJS (`module.exports = Datastore`): under NodeNext
// the default import is the class at run time while TypeScript types it as the module, hence this one cast.
const Datastore = nedb as unknown as typeof nedb.default;
type Datastore = nedb.default;

/**
 * NeDB appends a line for every write and only rewrites the datafile when it
 * compacts, so a queue whose items change state many times would grow its file
 * (and the next start's load time) without bound in a long-running process.
 * Compaction rewrites one collection's file while blocking only that
 * collection, which takes milliseconds at the sizes this store is meant for.
 */
const autocompactionIntervalMs = 10 * 60_000;

/** Readable by the runtime's user alone: the files hold every record, users' password hashes included. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export interface EmbeddedStoreOptions {
  /** Holds one `<collection>.db` file per collection; created when missing. */
  dataDir: string;
}

/** The zero-install store: NeDB files, for one process at a time. */
export async function openEmbeddedStore({ dataDir }: EmbeddedStoreOptions): Promise<DocumentStore> {
  const directory = path.resolve(dataDir);
  // The data is the runtime's alone: its directory is narrowed to its user even when it was made before.
  await mkdir(directory, { recursive: true, mode: DIR_MODE });
  await chmod(directory, DIR_MODE);
  return new EmbeddedStore(directory);
}

/** A collection's loaded datastore, and the group commit that appends its writes to its file. */
interface OpenFile {
  datastore: Datastore;
  commit: GroupCommit;
}

class EmbeddedStore extends CountingStore implements DocumentStore {
  readonly kind = 'embedded';
  readonly writesAtOnce = undefined;
  private readonly datastores = new Map<string, Promise<OpenFile>>();
  /** Indexes declared for collections not loaded yet, made when they load. */
  private readonly declared = new Map<string, IndexSpec[]>();
  private readonly locks = new WriteLocks(exclusiveWrites);
  protected readonly writes = new WriteCounts();
  private closed = false;

  constructor(readonly location: string) {
    super();
  }

  collection<T extends StoredDocument = StoredDocument>(name: string): Collection<T> {
    assertCollectionName(name);
    const file: CollectionFile = { open: () => this.datastore(name), declare: (spec) => this.declare(name, spec) };
    return this.writes.counting(new EmbeddedCollection<T>(name, file, this.locks.for(name), () => this.writes.add(name)));
  }

  aloneSince(): number {
    return 0;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await access(this.location, constants.R_OK | constants.W_OK);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      [...this.datastores].map(async ([name, loading]) => {
        const file = await loading.catch(() => undefined);
        if (file === undefined) return;
        file.datastore.stopAutocompaction();
        // Queued behind every write still in flight (our lock, then NeDB's own queue), so close returns once all are on disk.
        await this.locks.for(name).run('any', async () => {
          await file.commit.close();
          await file.datastore.compactDatafileAsync();
        });
      }),
    );
  }

  /** Loads a collection's file once, on first use. */
  private datastore(name: string): Promise<OpenFile> {
    this.assertOpen();
    let loading = this.datastores.get(name);
    if (loading === undefined) {
      loading = load(name, this.filename(name), this.declared.get(name) ?? []);
      this.datastores.set(name, loading);
      this.declared.delete(name);
    }
    return loading;
  }

  private filename(name: string): string {
    return path.join(this.location, `${name}.db`);
  }

  /**
   * Notes an index of a large collection not loaded yet, to be made when it
   * loads, so that the runtime's start, which declares every index, does not
   * wait for every file: 100,000 flow contexts are read when first used, in
   * the background of the requests. A small file is loaded now, as it takes
   * milliseconds, and data that breaks a unique index is heard of at once;
   * in a large one, by the first operation on it.
   */
  private declare(name: string, spec: IndexSpec): boolean {
    this.assertOpen();
    if (this.datastores.has(name) || sizeOf(this.filename(name)) < LARGE_FILE_BYTES) return false;
    this.declared.set(name, [...(this.declared.get(name) ?? []), spec]);
    return true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`the embedded store at ${this.location} is closed`);
  }
}

/** A collection file's size in bytes; 0 when there is none yet. Synchronous: it runs once per index declared at start, before any file is loaded. */
function sizeOf(filename: string): number {
  try {
    return statSync(filename).size;
  } catch {
    return 0;
  }
}

async function load(name: string, filename: string, declared: readonly IndexSpec[]): Promise<OpenFile> {
  const datastore = new Datastore({ filename, modes: { fileMode: FILE_MODE, dirMode: DIR_MODE } });
  moveOnlyChangedIndexKeys(datastore);
  // Loading compacts the file when it holds stale lines, and narrows its mode (embedded-load.ts).
  loadQuickly(datastore, filename);
  await datastore.loadDatabaseAsync();
  try {
    for (const spec of declared) await ensureIndexes(datastore, spec);
  } catch (error) {
    // Data that breaks a unique index declared before the load: every operation on the collection is refused, saying so.
    throw asDuplicateKeyError(name, error) ?? error;
  }
  datastore.setAutocompactionInterval(autocompactionIntervalMs);
  return { datastore, commit: GroupCommit.attach(datastore, filename) };
}

/**
 * The NeDB indexes that serve what a spec promises. NeDB keeps an ordered
 * index on its first field only: its trees sort by that field.
 */
function nedbIndexes({ fields, unique = false, sparse = false, ordered = false, byFirstFieldToo = false }: IndexSpec): NedbIndex[] {
  const index = { fieldName: ordered ? fields.slice(0, 1) : fields, unique, sparse };
  return byFirstFieldToo && fields.length > 1 ? [index, { fieldName: fields.slice(0, 1), unique: false, sparse }] : [index];
}

interface NedbIndex {
  fieldName: string[];
  unique: boolean;
  sparse: boolean;
}

async function ensureIndexes(datastore: Datastore, spec: IndexSpec): Promise<void> {
  for (const index of nedbIndexes(spec)) await datastore.ensureIndexAsync(index);
}

/** A collection's file: loaded on first use; an index declared before that is made then. */
interface CollectionFile {
  open(): Promise<OpenFile>;
  /** True when the index will be made as the file loads, false when it must be made now. */
  declare(spec: IndexSpec): boolean;
}

class EmbeddedCollection<T extends StoredDocument> implements Collection<T> {
  constructor(
    readonly name: string,
    private readonly collectionFile: CollectionFile,
    private readonly lock: WriteLock,
    private readonly written: () => void,
  ) {}

  async insertOne(doc: NewDocument<T>): Promise<T> {
    return this.write((datastore) => insert<T>(datastore, doc));
  }

  async insertMany(docs: NewDocument<T>[]): Promise<T[]> {
    // One at a time, so a duplicate keeps the documents before it as MongoDB's ordered insertMany does;
    // NeDB's own batch insert is all-or-nothing.
    return this.write(async (datastore) => {
      const inserted: T[] = [];
      for (const doc of docs) inserted.push(await insert<T>(datastore, doc));
      return inserted;
    });
  }

  async findOne(filter: Filter, options: Pick<FindOptions, 'sort' | 'projection'> = {}): Promise<T | null> {
    const [first] = await this.find(filter, { ...options, limit: 1 });
    return first ?? null;
  }

  async find(filter: Filter, { sort, limit = 0, skip = 0, projection }: FindOptions = {}): Promise<T[]> {
    checkFilter(filter);
    return this.read((datastore) => select<T>(datastore, toNedbQuery(filter), { sort, limit, skip, projection }));
  }

  async countDocuments(filter: Filter): Promise<number> {
    checkFilter(filter);
    return this.read(async (datastore) => Number(await datastore.countAsync(toNedbQuery(filter))));
  }

  async updateOne(filter: Filter, update: Update, { upsert = false }: UpdateOptions = {}): Promise<UpdateResult> {
    return this.write(async (datastore) => summarise(await this.change(datastore, filter, update, { single: true, upsert })));
  }

  async updateMany(filter: Filter, update: Update, { upsert = false }: UpdateOptions = {}): Promise<UpdateResult> {
    return this.write(async (datastore) => summarise(await this.change(datastore, filter, update, { single: false, upsert })));
  }

  async findOneAndUpdate(filter: Filter, update: Update, { sort, upsert = false, returnDocument = 'after' }: FindOneAndUpdateOptions = {}): Promise<T | null> {
    return this.write(async (datastore) => {
      if (sort === undefined && !upsert && returnDocument === 'after' && update.$pull === undefined) return updateFirst<T>(datastore, filter, update);
      const { before, after, upserted } = await this.change(datastore, filter, update, { single: true, upsert, sort });
      if (upserted !== null) return returnDocument === 'after' ? upserted : null;
      return (returnDocument === 'after' ? after[0] : before[0]) ?? null;
    });
  }

  async deleteOne(filter: Filter): Promise<number> {
    checkFilter(filter);
    return this.write((datastore) => datastore.removeAsync(toNedbQuery(filter), { multi: false }));
  }

  async deleteMany(filter: Filter): Promise<number> {
    checkFilter(filter);
    return this.write((datastore) => datastore.removeAsync(toNedbQuery(filter), { multi: true }));
  }

  async createIndex(spec: IndexSpec): Promise<void> {
    if (this.collectionFile.declare(spec)) return;
    return this.write((datastore) => ensureIndexes(datastore, spec));
  }

  /** Answers once every write the read could have seen is in the file, so nothing unwritten is acted on. */
  private async read<R>(work: (datastore: Datastore) => Promise<R>): Promise<R> {
    const { datastore, commit } = await this.collectionFile.open();
    const result = await work(datastore);
    await commit.durable();
    return result;
  }

  /**
   * Every write holds the collection's lock, so a claim's find and update see
   * no other write in between; it answers once its line is in the file, but
   * lets the next write go as soon as memory holds it (group commit).
   */
  private async write<R>(work: (datastore: Datastore) => Promise<R>): Promise<R> {
    const { datastore, commit } = await this.collectionFile.open();
    let outcome: { ok: true; value: R } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await this.lock.run('any', () => work(datastore)) };
    } catch (error) {
      outcome = { ok: false, error: asDuplicateKeyError(this.name, error) ?? error };
    }
    // Memory holds the write now, so a read that begins after this sees it.
    this.written();
    // A failed write may still have written some lines (an ordered insertMany stops at a duplicate).
    await commit.durable();
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** The read-then-write behind every update; runs under the lock. */
  private async change(
    datastore: Datastore,
    filter: Filter,
    update: Update,
    { single, upsert, sort }: { single: boolean; upsert: boolean; sort?: Sort },
  ): Promise<Change<T>> {
    checkWrite(filter, update, upsert);
    const before = await select<T>(datastore, toNedbQuery(filter), { sort, limit: single ? 1 : 0 });
    if (before.length === 0) return { before, after: [], upserted: upsert ? await insertUpserted<T>(datastore, filter, update) : null };
    const after: T[] = [];
    // Document by document, stopping at the first failure, as MongoDB's updateMany does.
    for (const doc of before) after.push(await modify(datastore, doc, update));
    return { before, after, upserted: null };
  }
}

async function insert<T extends StoredDocument>(datastore: Datastore, doc: NewDocument<T>): Promise<T> {
  return (await datastore.insertAsync(withId(doc))) as unknown as T;
}

async function select<T extends StoredDocument>(datastore: Datastore, query: NedbQuery, { sort, limit = 0, skip = 0, projection }: FindOptions): Promise<T[]> {
  const cursor = datastore.findAsync(query, projection);
  if (sort !== undefined) cursor.sort(sort);
  const found: unknown = await cursor.skip(skip).limit(limit);
  return found as T[];
}

/**
 * The first document `filter` matches, updated: NeDB finds it as `select`
 * would and changes it in the same call, where `change` reads it first for
 * what only a sort, an upsert, a `$pull` or the version before need. The
 * usual findOneAndUpdate (a claim, a queue item's move) reads it once.
 */
async function updateFirst<T extends StoredDocument>(datastore: Datastore, filter: Filter, update: Update): Promise<T | null> {
  checkWrite(filter, update, false);
  const { affectedDocuments } = await datastore.updateAsync(toNedbQuery(filter), update, { multi: false, returnUpdatedDocs: true });
  return (affectedDocuments as unknown as T | undefined) ?? null;
}

async function modify<T extends StoredDocument>(datastore: Datastore, doc: T, update: Update): Promise<T> {
  const applicable = withoutPullsFromMissingFields(update, doc);
  if (applicable === undefined) return doc;
  const { affectedDocuments } = await datastore.updateAsync({ _id: doc._id }, applicable, { returnUpdatedDocs: true });
  return affectedDocuments as unknown as T;
}

async function insertUpserted<T extends StoredDocument>(datastore: Datastore, filter: Filter, update: Update): Promise<T> {
  const seed = upsertSeed(filter);
  const doc = { ...seed, _id: typeof seed._id === 'string' ? seed._id : newId() };
  const applicable = withoutPullsFromMissingFields(update, doc);
  if (applicable === undefined) return insert<T>(datastore, doc as NewDocument<T>);
  // NeDB's upsert inserts its query with the update applied when the query matches nothing. The seed cannot match
  // where the filter just matched nothing under the same lock: it holds the same values, with dotted paths made
  // whole objects, which only narrows it. So an `_id` that exists already is reported as a duplicate, as on MongoDB.
  const { affectedDocuments } = await datastore.updateAsync(doc, applicable, { upsert: true, returnUpdatedDocs: true });
  return affectedDocuments as unknown as T;
}

function summarise<T extends StoredDocument>({ before, after, upserted }: Change<T>): UpdateResult {
  return {
    matchedCount: before.length,
    // NeDB counts every matched document as replaced; MongoDB only those whose content changed.
    modifiedCount: before.filter((doc, index) => !isDeepStrictEqual(doc, after[index])).length,
    upsertedId: upserted?._id ?? null,
  };
}

/** NeDB reports a unique-index clash as an Error with `errorType: 'uniqueViolated'` and the offending key. */
function asDuplicateKeyError(collection: string, error: unknown): DuplicateKeyError | undefined {
  if (!(error instanceof Error) || !('errorType' in error) || error.errorType !== 'uniqueViolated') return undefined;
  const key = 'key' in error ? error.key : undefined;
  return new DuplicateKeyError(collection, isPlainObject(key) ? key : key === undefined ? undefined : String(key), { cause: error });
}
