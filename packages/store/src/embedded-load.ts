import { createReadStream } from 'node:fs';
import { chmod, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type nedb from '@seald-io/nedb';
import { documentOf } from './nedb-lines.js';

// NeDB's own modules: its file helpers and its index class; the package exports no types for them.
const require = createRequire(import.meta.url);
const storage = require('@seald-io/nedb/lib/storage.js') as {
  ensureParentDirectoryExistsAsync(filename: string, mode: number): Promise<void>;
  ensureDatafileIntegrityAsync(filename: string, mode: number): Promise<void>;
};
const Index = require('@seald-io/nedb/lib/indexes.js') as new (spec: IndexCreated) => NedbIndex;

/**
 * A datafile this large takes long enough to load that the store loads it
 * only when it is first used (see EmbeddedStore.declare), and a load-time
 * compaction of it waits for the periodic one unless most of it is stale.
 */
export const LARGE_FILE_BYTES = 1 << 20;

/** Documents put into the indexes between two turns of the event loop while a file loads. */
const INDEXED_PER_TURN = 2_000;

interface NedbIndex {
  insert(docs: unknown[]): void;
}

interface IndexCreated {
  fieldName: string | string[];
  unique?: boolean;
  sparse?: boolean;
}

/** The parts of a datastore NeDB's own loader works on, which it does not type. */
interface LoadingDatastore {
  indexes: Record<string, NedbIndex>;
  _resetIndexes(docs?: unknown[]): void;
  executor: { processBuffer(): void };
  persistence: {
    loadDatabaseAsync(): Promise<void>;
    persistCachedDatabaseAsync(): Promise<void>;
    corruptAlertThreshold: number;
    modes: { fileMode: number; dirMode: number };
  };
}

/** What a datafile holds: the documents as they stand, the indexes it declares, and how many of its lines are not one of those. */
interface Datafile {
  documents: Map<string, unknown>;
  indexes: Map<string, IndexCreated>;
  lines: number;
  corrupt: number;
}

/** Reads the file a chunk at a time (a large one is longer than a string may be), each line as NeDB would. */
async function readDatafile(filename: string): Promise<Datafile> {
  const file: Datafile = { documents: new Map(), indexes: new Map(), lines: 0, corrupt: 0 };
  const take = (line: string) => {
    if (line === '') return;
    file.lines += 1;
    try {
      const doc = documentOf(line);
      if (typeof doc._id === 'string' || typeof doc._id === 'number') {
        if (doc.$$deleted === true) file.documents.delete(String(doc._id));
        else file.documents.set(String(doc._id), doc);
      } else if (isIndexCreated(doc.$$indexCreated)) file.indexes.set(String(doc.$$indexCreated.fieldName), doc.$$indexCreated);
      else if (typeof doc.$$indexRemoved === 'string') file.indexes.delete(doc.$$indexRemoved);
    } catch {
      file.corrupt += 1;
    }
  };
  let rest = '';
  for await (const chunk of createReadStream(filename, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) take(line);
  }
  take(rest);
  return file;
}

function isIndexCreated(value: unknown): value is IndexCreated {
  return typeof value === 'object' && value !== null && 'fieldName' in value && value.fieldName !== null && value.fieldName !== undefined;
}

/**
 * Fills the indexes a slice at a time, so that a large file loading in the
 * background (a collection first used after the start) does not hold up the
 * requests and the start's own steps for seconds. NeDB's `_resetIndexes`
 * does it in one go, and undoes it all when a unique index refuses a document.
 */
async function fillIndexes(store: LoadingDatastore, documents: unknown[]): Promise<void> {
  store._resetIndexes();
  try {
    for (let from = 0; from < documents.length; from += INDEXED_PER_TURN) {
      const slice = documents.slice(from, from + INDEXED_PER_TURN);
      for (const index of Object.values(store.indexes)) index.insert(slice);
      await nextTurn();
    }
  } catch (error) {
    store._resetIndexes();
    throw error;
  }
}

/**
 * Loads a collection's datafile in place of NeDB's own loader, which parses
 * each line through a promise of its own, fills the indexes in one block and
 * then rewrites the whole file: 100,000 records took it seconds with the
 * event loop held. Here lines are parsed in a plain loop a chunk at a time,
 * the indexes filled a slice at a time, and the file rewritten (compacted)
 * only when it holds stale lines (as after a crash; a clean close compacted
 * it) and is small, or mostly stale; otherwise the periodic compaction
 * rewrites it. What it ends with is what NeDB's loader would: the same
 * documents, indexes, and refusal of a corrupt file.
 */
export function loadQuickly(datastore: nedb.default, filename: string): void {
  const store = datastore as unknown as LoadingDatastore;
  const { persistence } = store;
  persistence.loadDatabaseAsync = async () => {
    store._resetIndexes();
    await storage.ensureParentDirectoryExistsAsync(filename, persistence.modes.dirMode);
    await storage.ensureDatafileIntegrityAsync(filename, persistence.modes.fileMode);
    const file = await readDatafile(filename);
    if (file.lines > 0 && file.corrupt / file.lines > persistence.corruptAlertThreshold) {
      throw new Error(`${Math.floor((100 * file.corrupt) / file.lines)}% of ${filename} is corrupt; the embedded store refuses to load it rather than lose data`);
    }
    for (const [fieldName, spec] of file.indexes) store.indexes[fieldName] = new Index(spec);
    await fillIndexes(store, [...file.documents.values()]);
    const stale = file.lines - file.documents.size - file.indexes.size;
    const small = (await stat(filename)).size < LARGE_FILE_BYTES;
    if (stale > 0 && (small || stale >= file.documents.size)) await persistence.persistCachedDatabaseAsync();
    // A file made before modes were set is narrowed to them, whether or not it was rewritten.
    else await chmod(filename, persistence.modes.fileMode);
    store.executor.processBuffer();
  };
}
