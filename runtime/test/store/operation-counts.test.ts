import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DocumentStore, OperationKind, StoreOperation } from '@lockstep/store';
import { storeAdapters } from './adapters.js';

/** What the sync bench reads from /health: each store operation by kind, only when asked for. */
describe.each(storeAdapters().map((adapter) => [adapter.name, adapter] as const))('%s store operation counts', (_name, adapter) => {
  describe.skipIf(adapter.skipReason !== undefined)(adapter.skipReason ?? 'LOCKSTEP_COUNT_STORE_OPS', () => {
    let store: DocumentStore | undefined;
    afterEach(async () => {
      vi.unstubAllEnvs();
      await store?.close();
      await adapter.dispose();
    });

    it('counts every call by kind, failed ones too, when LOCKSTEP_COUNT_STORE_OPS=1', async () => {
      vi.stubEnv('LOCKSTEP_COUNT_STORE_OPS', '1');
      store = await adapter.open();
      // Beside the port's calls, the mongodb adapter makes operations of its own on FerretDB (document leases), counted too.
      const before = store.operationCounts()!;
      const heard: StoreOperation[] = [];
      store.onOperation((operation) => heard.push(operation));
      const items = store.collection('counted');
      await items.createIndex({ fields: ['email'], unique: true });
      await items.insertOne({ _id: 'a', email: 'ann@example.com' });
      await items.insertMany([{ _id: 'b', email: 'bob@example.com' }, { _id: 'c', email: 'cy@example.com' }]);
      await expect(items.insertOne({ _id: 'd', email: 'ann@example.com' })).rejects.toThrow();
      await items.find({});
      await items.findOne({ _id: 'a' });
      await items.countDocuments({});
      await items.updateOne({ _id: 'a' }, { $set: { n: 1 } });
      await items.updateMany({}, { $set: { m: 1 } });
      await items.findOneAndUpdate({ _id: 'b' }, { $set: { n: 2 } });
      await items.deleteOne({ _id: 'c' });
      await items.deleteMany({});
      expect(byKind(heard.filter(({ collection }) => collection === 'counted'))).toEqual({ find: 2, insert: 3, update: 2, findAndModify: 1, delete: 2, count: 1, createIndex: 1 });
      const counted = Object.entries(store.operationCounts()!).map(([kind, count]) => [kind, count - before[kind as OperationKind]]);
      expect(Object.fromEntries(counted.filter(([, count]) => count !== 0))).toEqual(byKind(heard));
    });

    it('tells a listener what each operation asked for, until it stops listening', async () => {
      vi.stubEnv('LOCKSTEP_COUNT_STORE_OPS', '1');
      store = await adapter.open();
      const items = store.collection('heard');
      const heard: StoreOperation[] = [];
      const stop = store.onOperation((operation) => heard.push(operation));
      await items.insertMany([{ _id: 'a', status: 'ready' }, { _id: 'b', status: 'done' }]);
      await items.find({ status: 'ready' }, { sort: { _id: 1 }, limit: 5 });
      await items.findOneAndUpdate({ _id: 'a', status: 'ready' }, { $set: { status: 'done' } });
      stop();
      await items.deleteMany({});
      expect(heard.filter(({ collection }) => collection === 'heard')).toEqual([
        { collection: 'heard', kind: 'insert', documents: 2 },
        { collection: 'heard', kind: 'find', filter: { status: 'ready' }, sort: { _id: 1 }, limit: 5 },
        { collection: 'heard', kind: 'findAndModify', filter: { _id: 'a', status: 'ready' }, sort: undefined, limit: 1 },
      ]);
    });

    it('counts inserts as the commands that carry them: on MongoDB, those asked for while one is on its way go as one', async () => {
      vi.stubEnv('LOCKSTEP_COUNT_STORE_OPS', '1');
      store = await adapter.open();
      const items = store.collection('grouped');
      const heard: StoreOperation[] = [];
      store.onOperation((operation) => heard.push(operation));
      await Promise.all(['a', 'b', 'c', 'd'].map((_id) => items.insertOne({ _id })));
      const inserts = heard.filter(({ collection }) => collection === 'grouped').map(({ documents }) => documents);
      // The first goes alone, at once; the three asked for meanwhile wait for it and go together.
      expect(inserts).toEqual(adapter.name === 'mongodb' ? [1, 3] : [1, 1, 1, 1]);
      expect((await items.find({}, { sort: { _id: 1 } })).map(({ _id }) => _id)).toEqual(['a', 'b', 'c', 'd']);
    });

    it('counts nothing, and reports no counts, without it', async () => {
      vi.stubEnv('LOCKSTEP_COUNT_STORE_OPS', undefined);
      store = await adapter.open();
      await store.collection('counted').insertOne({ _id: 'a' });
      expect(store.operationCounts()).toBeUndefined();
      expect(() => store!.onOperation(() => undefined)).toThrow(/LOCKSTEP_COUNT_STORE_OPS/);
    });
  });
});

/** How many of the operations are of each kind, the kinds with none left out. */
function byKind(operations: StoreOperation[]): Partial<Record<OperationKind, number>> {
  const counts: Partial<Record<OperationKind, number>> = {};
  for (const { kind } of operations) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
