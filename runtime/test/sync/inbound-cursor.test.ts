import { afterAll, describe, expect, it, vi } from 'vitest';
import type { DocumentStore, StoreOperation } from '@lockstep/store';
import { InboundCursors } from '../../src/sync/inbound/inbound-cursor.js';
import { until } from '../support/until.js';
import { embeddedAdapter, mongodbAdapter } from '../store/adapters.js';

/** What a read or move learnt while other moves were under way is kept a turn after it (InboundCursors). */
const aTurn = () => new Promise((resolve) => setImmediate(resolve));

/*
 * A cursor is read on receipt of each envelope and again before its claim:
 * while the process writes its database alone, it is answered from memory,
 * as the process last read or moved it. Each "process" on the mongodb
 * adapter is a store of its own on one database.
 */
for (const adapter of [embeddedAdapter(), mongodbAdapter()]) {
  describe.skipIf(adapter.skipReason !== undefined)(`inbound cursors on the ${adapter.name} store${adapter.skipReason ? ` — ${adapter.skipReason}` : ''}`, () => {
    const opened: DocumentStore[] = [];
    const open = async (): Promise<{ store: DocumentStore; reads: () => number }> => {
      vi.stubEnv('LOCKSTEP_COUNT_STORE_OPS', '1');
      try {
        const store = await adapter.open();
        opened.push(store);
        const heard: StoreOperation[] = [];
        store.onOperation((operation) => heard.push(operation));
        return { store, reads: () => heard.filter(({ collection, kind }) => collection === 'sync_inbound_cursor' && kind === 'find').length };
      } finally {
        vi.unstubAllEnvs();
      }
    };
    afterAll(async () => {
      await Promise.all(opened.map((store) => store.close()));
      await adapter.dispose();
    });

    it('answers what it read or moved from memory while alone, and reads again after a write of other code', async () => {
      const { store, reads } = await open();
      const cursors = new InboundCursors(store);
      expect(await cursors.applied('alone')).toBe(0);
      expect(await cursors.move('alone', 0, 1)).toBe(true);
      expect(await cursors.applied('alone')).toBe(1);
      if (store.aloneSince() !== undefined) expect(reads()).toBe(1);
      await store.collection('sync_inbound_cursor').updateOne({ _id: 'alone' }, { $set: { applied: 5 } });
      expect(await cursors.applied('alone')).toBe(5);
      expect(await cursors.move('alone', 1, 2)).toBe(false);
      expect(await cursors.applied('alone')).toBe(5);
    });

    it('answers from memory after many keys moved at once, as a stream of changes moves them', async () => {
      // The last test's store closes first: two embedded stores on one directory would compact its files at once.
      await Promise.all(opened.splice(0).map((store) => store.close()));
      const { store, reads } = await open();
      const cursors = new InboundCursors(store);
      const keys = Array.from({ length: 40 }, (_, index) => `stream-${index}`);
      expect(await Promise.all(keys.map((key) => cursors.move(key, 0, 1)))).toEqual(keys.map(() => true));
      expect(await Promise.all(keys.map((key) => cursors.move(key, 1, 2)))).toEqual(keys.map(() => true));
      await aTurn();
      const before = reads();
      expect(await Promise.all(keys.map((key) => cursors.applied(key)))).toEqual(keys.map(() => 2));
      if (store.aloneSince() !== undefined) expect(reads() - before).toBe(0);
    });

    // Only where processes share a database: an embedded store's files are one process's.
    const sharedDatabase = adapter.name === 'embedded' ? it.skip : it;
    sharedDatabase('sees a move another process made once that process came (not on the embedded store, which no second process opens)', async () => {
      // The last test's process leaves, so that this one's first holds the database alone.
      await Promise.all(opened.splice(0).map((store) => store.close()));
      const first = await open();
      await until(async () => first.store.aloneSince() !== undefined, 'the first process holds the database alone');
      const mine = new InboundCursors(first.store);
      expect(await mine.move('shared', 0, 1)).toBe(true);
      expect(await mine.applied('shared')).toBe(1);
      const theirs = new InboundCursors((await open()).store);
      expect(await theirs.move('shared', 1, 2)).toBe(true);
      expect(await mine.applied('shared')).toBe(2);
    });
  });
}
