import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateKeyError, openEmbeddedStore, type DocumentStore } from '@lockstep/store';

interface Candidates {
  loadDatabaseAsync(): Promise<void>;
  /** NeDB's choice of index for a query: what it reads before matching. */
  _getRawCandidates(query: object): object[];
}
const Datastore = createRequire(import.meta.url)('@seald-io/nedb') as new (options: { filename: string }) => Candidates;

interface Item {
  _id: string;
  key: string;
  sequence: number;
  status: string;
}

const STATUSES = ['processed', 'skipped'];

/*
 * A compound index that serves its first field too (IndexSpec.byFirstFieldToo):
 * the inbound cursors read a key's last settled item by
 * {correlation_key, status: {$in}}, which NeDB would otherwise answer from
 * the status index, reading every processed item of every key.
 */
describe('an embedded compound index that serves its first field too', () => {
  let root: string;
  let store: DocumentStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lockstep-first-field-'));
    store = await openEmbeddedStore({ dataDir: root });
  });
  afterEach(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  /** The documents NeDB reads, from the collection's file, for a query it is asked: its indexes are in the file. */
  async function candidatesOf(query: object): Promise<number> {
    await store.close();
    const datastore = new Datastore({ filename: path.join(root, 'items.db') });
    await datastore.loadDatabaseAsync();
    return datastore._getRawCandidates(query).length;
  }

  async function fill(byFirstFieldToo: boolean): Promise<void> {
    const items = store.collection<Item>('items');
    await items.createIndex({ fields: ['status', 'sequence'], ordered: true });
    await items.createIndex({ fields: ['key', 'sequence'], unique: true, byFirstFieldToo });
    await items.insertMany(Array.from({ length: 200 }, (_, n) => ({ _id: `i${n}`, key: `k${n % 50}`, sequence: n, status: 'processed' })));
    await expect(items.insertOne({ _id: 'again', key: 'k1', sequence: 1, status: 'ready' })).rejects.toBeInstanceOf(DuplicateKeyError);
    const settled = await items.findOne({ key: 'k7', status: { $in: STATUSES } }, { sort: { sequence: -1 } });
    expect(settled?._id).toBe('i157');
  }

  it("reads only the key's items for an equality on the key beside a condition on another field", async () => {
    await fill(true);
    expect(await candidatesOf({ key: 'k7', status: { $in: STATUSES } })).toBe(4);
  });

  it('without it, reads every item of the status, which is what it is for', async () => {
    await fill(false);
    expect(await candidatesOf({ key: 'k7', status: { $in: STATUSES } })).toBe(200);
  });
});
