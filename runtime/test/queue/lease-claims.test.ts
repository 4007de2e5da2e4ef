import { afterAll, describe, expect, it } from 'vitest';
import { LeaseClaims } from '../../src/queue/lease-claims.js';
import type { DocumentStore, StoredDocument } from '@lockstep/store';
import { embeddedAdapter, mongodbAdapter } from '../store/adapters.js';

interface Item extends StoredDocument {
  status: 'ready' | 'processing';
  holder: string | null;
}

const ITEMS = 'claim_test_items';
const claimed = { status: 'ready' };
const take = (holder: string) => ({ $set: { status: 'processing', holder } });

// The embedded store is one process's alone, so there one store stands for the workers; on MongoDB each worker
// opens a store of its own on one database, with its own connections and in-process locks, as separate processes do.
for (const adapter of [embeddedAdapter(), mongodbAdapter()]) {
  describe.skipIf(adapter.skipReason !== undefined)(`lease claims on the ${adapter.name} store${adapter.skipReason ? ` — ${adapter.skipReason}` : ''}`, () => {
    const opened: DocumentStore[] = [];
    const open = async (): Promise<DocumentStore> => {
      const store = await adapter.open();
      opened.push(store);
      return store;
    };
    afterAll(async () => {
      await Promise.all(opened.map((store) => store.close()));
      await adapter.dispose();
    });

    it('gives each item to exactly one of several workers claiming all of them at once', async () => {
      const stores = adapter.name === 'embedded' ? [await open()] : await Promise.all([open(), open(), open()]);
      const workers = ['w1', 'w2', 'w3'].map((name, index) => ({ name, store: stores[index % stores.length]! }));
      const ids = Array.from({ length: 40 }, (_, index) => `item-${index}`);
      const items = stores[0]!.collection<Item>(ITEMS);
      for (const id of ids) await items.insertOne({ _id: id, status: 'ready', holder: null });
      await new LeaseClaims(stores[0]!).prepare();

      const now = Date.now();
      const wins = await Promise.all(
        workers.flatMap(({ name, store }) => {
          const claims = new LeaseClaims(store);
          const collection = store.collection<Item>(ITEMS);
          return ids.map(async (id) => ((await claims.claim(collection, id, claimed, take(name), now, now + 60_000)) ? `${id}:${name}` : null));
        }),
      );
      const won = wins.filter((win): win is string => win !== null);
      expect(won).toHaveLength(ids.length);
      expect(new Set(won.map((win) => win.split(':')[0])).size).toBe(ids.length);
      // What each item's store document says agrees with who won it.
      for (const win of won) {
        const [id, name] = win.split(':');
        expect((await items.findOne({ _id: id! }))?.holder).toBe(name);
      }
    });

    it('lets the item be claimed again once the claim is ended, and not before', async () => {
      const store = await open();
      const claims = new LeaseClaims(store);
      await claims.prepare();
      const items = store.collection<Item>(`${ITEMS}_again`);
      await items.insertOne({ _id: 'retried', status: 'ready', holder: null });
      const now = Date.now();
      const first = await claims.claim(items, 'retried', claimed, take('first'), now, now + 60_000);
      expect(first?.item.holder).toBe('first');
      // Back to ready, as a retry puts it: while the first claim holds, no one else takes it on a log.
      await items.updateOne({ _id: 'retried' }, { $set: { status: 'ready' } });
      if (!store.conditionalWritesAtomic) expect(await claims.claim(items, 'retried', claimed, take('second'), now, now + 60_000)).toBeNull();
      await claims.end(first!.ticket);
      const second = await claims.claim(items, 'retried', claimed, take('second'), now, now + 60_000);
      expect(second?.item.holder).toBe('second');
    });

    it('takes over a claim whose lease ran out', async () => {
      const store = await open();
      const claims = new LeaseClaims(store);
      await claims.prepare();
      const items = store.collection<Item>(`${ITEMS}_lapsed`);
      await items.insertOne({ _id: 'lapsed', status: 'ready', holder: null });
      const first = await claims.claim(items, 'lapsed', claimed, take('dead'), 1_000, 2_000);
      expect(first).not.toBeNull();
      // The dead holder's item went back to ready when its lease ended (releaseExpired); its log entry stayed.
      await items.updateOne({ _id: 'lapsed' }, { $set: { status: 'ready' } });
      const second = await claims.claim(items, 'lapsed', claimed, take('alive'), 3_000, 63_000);
      expect(second?.item.holder).toBe('alive');
    });
  });
}
