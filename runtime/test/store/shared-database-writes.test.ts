import { MongoClient } from 'mongodb';
import { describe, expect, inject, it } from 'vitest';
import type { DocumentStore, StoredDocument } from '@lockstep/store';
import { processesOnOneDatabase } from './processes-on-one-database.js';
import { embeddedAdapter, mongodbAdapter } from './adapters.js';

interface Counter extends StoredDocument {
  count: number;
  [field: string]: unknown;
}

const PROCESSES = 3;
const WRITES_EACH = 20;

// Each "process" is a store of its own on one database, with its own connections and in-process write queues, as
// separate runtime processes have. Without a lease per written document, FerretDB v1 (an update is a read, then a
// write of the whole document) kept 5 of 90 such increments, and of three processes' fields only two.
for (const adapter of [embeddedAdapter(), mongodbAdapter()]) {
  describe.skipIf(adapter.skipReason !== undefined)(`writes to one document from several processes on the ${adapter.name} store${adapter.skipReason ? ` — ${adapter.skipReason}` : ''}`, () => {
    const processes = processesOnOneDatabase(adapter, PROCESSES);

    it('loses none of many concurrent updates, compare-and-sets and findAndModifies of one document', async () => {
      const stores = await processes();
      const counters = (store: DocumentStore) => store.collection<Counter>('shared_counter');
      await counters(stores[0]!).insertOne({ _id: 'c', count: 0 });
      await Promise.all(
        stores.flatMap((store, index) =>
          Array.from({ length: WRITES_EACH }, async (_, write) => {
            if (write % 2 === 0) await counters(store).updateOne({ _id: 'c' }, { $inc: { count: 1, [`by${index}`]: 1 } });
            else await counters(store).findOneAndUpdate({ _id: 'c' }, { $inc: { count: 1, [`by${index}`]: 1 } });
          }),
        ),
      );
      const counter = await counters(stores[0]!).findOne({ _id: 'c' });
      expect(counter?.count).toBe(stores.length * WRITES_EACH);
      for (const [index] of stores.entries()) expect(counter?.[`by${index}`]).toBe(WRITES_EACH);
    });

    it('lets one of several compare-and-sets on one value win', async () => {
      const stores = await processes();
      const counters = (store: DocumentStore) => store.collection<Counter>('shared_cas');
      await counters(stores[0]!).insertOne({ _id: 'c', count: 0 });
      const won = await Promise.all(stores.flatMap((store) => Array.from({ length: 5 }, async () => (await counters(store).updateOne({ _id: 'c', count: 0 }, { $set: { count: 1 } })).matchedCount)));
      expect(won.reduce((sum, matched) => sum + matched, 0)).toBe(1);
    });
  });
}

const uri = inject('mongodbUri');
describe.skipIf(uri === null)('a lease on a document its writer left when it was killed', () => {
  it('lapses, as does a takeover of it its taker left, and the document is written again', async () => {
    const adapter = mongodbAdapter();
    const store = await adapter.open();
    const client = await MongoClient.connect(uri!);
    try {
      const documents = store.collection<Counter>('leased');
      await documents.insertOne({ _id: 'd', count: 0 });
      // As a killed process leaves it: held, with its time run out; and a takeover of it, by a process killed in
      // the middle of one. MongoDB takes no leases, and passes them by.
      const database = client.db(/lockstep_test_\w+/.exec(store.location)![0]);
      const leases = database.collection<{ _id: string; token: string; until: number }>('store_document_lease');
      await leases.insertMany([
        { _id: 'leased:d', token: 'killed', until: Date.now() - 1 },
        { _id: 'leased:d@killed', token: 'killed too', until: Date.now() - 1 },
      ]);
      await documents.updateOne({ _id: 'd' }, { $inc: { count: 1 } });
      expect((await documents.findOne({ _id: 'd' }))?.count).toBe(1);
    } finally {
      await client.close();
      await store.close();
      await adapter.dispose();
    }
  });
});
