import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openMongoStore, ReadCache, type DocumentStore, type StoredDocument } from '@lockstep/store';
import { until } from '../support/until.js';
import { openHeard, type HeardStore } from './heard-store.js';
import { mongodbAdapter, serverIsFerretDb, uniqueDatabaseName } from './adapters.js';

interface Counter extends StoredDocument {
  count: number;
}

const WRITES_EACH = 20;


/** Whether `write` took a document lease on FerretDB: the store heard one taken while it ran. */
async function leased(heard: HeardStore, write: () => Promise<unknown>): Promise<boolean> {
  const from = heard.operations.length;
  await write();
  return heard.operations.slice(from).some(({ collection, kind }) => collection === 'store_document_lease' && kind === 'insert');
}

/*
 * On FerretDB, a process alone on its database writes a document without a
 * lease on it (SoleWriter); one that comes makes it take leases again
 * before writing anything under a lease itself, and it goes back to none
 * when the other leaves. Each "process" is a store of its own on one
 * database, with its own connections and in-process write queues.
 */
const uri = inject('mongodbUri');
describe.skipIf(uri === null)('document leases only while several processes use a FerretDB database', () => {
  const adapter = mongodbAdapter();
  const opened: HeardStore[] = [];
  let ferretDb = false;
  const open = (): Promise<HeardStore> => openHeard(adapter, opened);
  beforeAll(async () => {
    ferretDb = await serverIsFerretDb();
  });
  afterAll(async () => {
    await Promise.all(opened.map(({ store }) => store.close()));
    await adapter.dispose();
  });

  it('takes none alone, takes them while another process writes beside it, losing no write, and none again once it left', async (context) => {
    if (!ferretDb) context.skip('MongoDB takes no document leases');
    const first = await open();
    const counters = (store: DocumentStore) => store.collection<Counter>('sole_counter');
    await counters(first.store).insertOne({ _id: 'c', count: 0 });
    expect(await leased(first, () => counters(first.store).updateOne({ _id: 'c' }, { $inc: { count: 1 } }))).toBe(false);

    const second = await open();
    // Both write at once from the start: the second's first write waits until the first writes under leases too.
    await Promise.all(
      [first, second].flatMap(({ store }) => Array.from({ length: WRITES_EACH }, () => counters(store).findOneAndUpdate({ _id: 'c' }, { $inc: { count: 1 } }))),
    );
    expect((await counters(first.store).findOne({ _id: 'c' }))?.count).toBe(1 + 2 * WRITES_EACH);
    expect(await leased(first, () => counters(first.store).updateOne({ _id: 'c' }, { $inc: { count: 1 } }))).toBe(true);
    expect(await leased(second, () => counters(second.store).updateOne({ _id: 'c' }, { $inc: { count: 1 } }))).toBe(true);

    await second.store.close();
    opened.splice(opened.indexOf(second), 1);
    await until(async () => !(await leased(first, () => counters(first.store).updateOne({ _id: 'c' }, { $inc: { count: 1 } }))), 'the first process writes alone again');
  });

  it('holds read answers while it writes the database alone, and writes nothing beside it from another process', async (context) => {
    if (!ferretDb) context.skip('MongoDB takes no document leases');
    // The last test's processes leave.
    await Promise.all(opened.splice(0).map(({ store }) => store.close()));
    const first = await open();
    const remotes = first.store.collection('sole_remote');
    await remotes.insertOne({ _id: 'r', state: 'active' });
    await until(async () => first.store.aloneSince() !== undefined, 'the first process holds the database alone');
    let reads = 0;
    // Held for no time at all while others may write.
    const cache = new ReadCache(first.store, 0);
    const read = () => cache.read('active', ['sole_remote'], async () => (reads += 1, remotes.find({ state: 'active' })));
    await read();
    await read();
    expect(reads).toBe(1);

    const second = await open();
    await second.store.collection('sole_remote').insertOne({ _id: 'another', state: 'active' });
    // The insert waited until the first process gave the database up, so its copy is read again.
    expect(first.store.aloneSince()).toBeUndefined();
    expect(await read()).toHaveLength(2);
    expect(reads).toBe(2);
  });

  it('writes once the sole hold and the presence of a process killed while it held the database have lapsed', async (context) => {
    if (!ferretDb) context.skip('MongoDB takes no document leases');
    const client = await MongoClient.connect(uri!);
    const databaseName = uniqueDatabaseName();
    let store: DocumentStore | undefined;
    try {
      // As the killed process left them, a second before they lapse.
      const database = client.db(databaseName);
      const lapsing = Date.now() + 1_000;
      await database.collection('store_process').insertOne({ _id: 'killed' as never, state: 'running', until: lapsing });
      await database.collection('store_sole_writer').insertOne({ _id: 'sole' as never, holder: 'killed', until: lapsing });
      store = await openMongoStore({ uri: uri!, databaseName });
      const counters = store.collection<Counter>('sole_counter');
      await counters.insertOne({ _id: 'c', count: 0 });
      await counters.updateOne({ _id: 'c' }, { $inc: { count: 1 } });
      expect((await counters.findOne({ _id: 'c' }))?.count).toBe(1);
      expect(await database.collection('store_sole_writer').findOne({ holder: 'killed' })).toBeNull();
    } finally {
      await store?.close();
      await client.db(databaseName).dropDatabase();
      await client.close();
    }
  });
});
