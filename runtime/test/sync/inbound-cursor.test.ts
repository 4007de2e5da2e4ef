import { afterAll, describe, expect, it, vi } from 'vitest';
import type { DocumentStore, StoreOperation } from '@lockstep/store';
import { InboundCursors } from '../../src/sync/inbound/inbound-cursor.js';
import { until } from '../support/until.js';
import { embeddedAdapter, mongodbAdapter } from '../store/adapters.js';

/** What a read or change learnt while other changes were under way is kept a turn after it (InboundCursors). */
const aTurn = () => new Promise((resolve) => setImmediate(resolve));

const QUEUE = 'sync_inbound_queue';
const STORED_CURSORS = 'sync_inbound_cursor';

/*
 * A key's cursor is read from its settled inbound items, or its stored
 * cursor where that is higher; read on receipt of each envelope and again
 * before its claim, it is answered from memory while the process writes its
 * database alone. Each "process" on the mongodb adapter is a store of its
 * own on one database.
 */
for (const adapter of [embeddedAdapter(), mongodbAdapter()]) {
  describe.skipIf(adapter.skipReason !== undefined)(`inbound cursors on the ${adapter.name} store${adapter.skipReason ? ` — ${adapter.skipReason}` : ''}`, () => {
    const opened: DocumentStore[] = [];
    const open = async () => {
      vi.stubEnv('LOCKSTEP_COUNT_STORE_OPS', '1');
      try {
        const store = await adapter.open();
        opened.push(store);
        const heard: StoreOperation[] = [];
        store.onOperation((operation) => heard.push(operation));
        const items = store.collection(QUEUE);
        /** The key's item `sequence`, queued and claimed, as the processor holds it before its settle. */
        const claimed = (key: string, sequence: number) => items.insertOne({ _id: `${key}#${sequence}`, correlation_key: key, sequence, status: 'processing' });
        /** The item settled in `status` (processed, skipped, or ready again): the answer null when it was not processing. */
        const settle = (key: string, sequence: number, status: string, from = 'processing') => async () =>
          (await items.updateOne({ _id: `${key}#${sequence}`, status: from }, { $set: { status } })).matchedCount === 1 ? { status } : null;
        /** The cursors as a restart finds them: nothing known yet. */
        const afresh = () => new InboundCursors(store, store.collection(QUEUE));
        return {
          store,
          cursors: afresh(),
          afresh,
          claimed,
          settle,
          reads: () => heard.filter(({ collection, kind }) => (collection === STORED_CURSORS || collection === QUEUE) && kind === 'find').length,
        };
      } finally {
        vi.unstubAllEnvs();
      }
    };
    /** The last test's store closes first: two embedded stores on one directory would compact its files at once. */
    const closeOpened = () => Promise.all(opened.splice(0).map((store) => store.close()));
    afterAll(async () => {
      await closeOpened();
      await adapter.dispose();
    });

    it('goes on with each item recorded as processed or skipped, with no write of its own', async () => {
      const { store, cursors, afresh, claimed, settle } = await open();
      expect(await cursors.applied('settled')).toBe(0);
      const cursorWrites = store.writeCount(STORED_CURSORS);
      for (const sequence of [1, 2, 3]) await claimed('settled', sequence);
      expect(await cursors.recorded('settled', 1, settle('settled', 1, 'processed'))).toEqual({ status: 'processed' });
      expect(await cursors.recorded('settled', 2, settle('settled', 2, 'skipped'))).toEqual({ status: 'skipped' });
      // A settle that found its item elsewhere moves nothing.
      expect(await cursors.recorded('settled', 3, settle('settled', 3, 'processed', 'ready'))).toBeNull();
      expect(await cursors.applied('settled')).toBe(2);
      expect(store.writeCount(STORED_CURSORS)).toBe(cursorWrites);
      // Read afresh, as a restart reads it: from the items.
      expect(await afresh().applied('settled')).toBe(2);
    });

    it('answers what it read or changed from memory while alone, and reads again after a write of other code', async () => {
      await closeOpened();
      const { store, cursors, claimed, settle, reads } = await open();
      expect(await cursors.applied('alone')).toBe(0);
      await claimed('alone', 1);
      await cursors.recorded('alone', 1, settle('alone', 1, 'processed'));
      const before = reads();
      expect(await cursors.applied('alone')).toBe(1);
      if (store.aloneSince() !== undefined) expect(reads()).toBe(before);
      await store.collection(STORED_CURSORS).updateOne({ _id: 'alone' }, { $set: { applied: 5 } }, { upsert: true });
      expect(await cursors.applied('alone')).toBe(5);
    });

    it('keeps how far a key went in its stored cursor when its settled items are removed, and a reprocess moves it back', async () => {
      await closeOpened();
      const { store, cursors, afresh, claimed, settle } = await open();
      for (const sequence of [1, 2, 3]) {
        await claimed('kept', sequence);
        await cursors.recorded('kept', sequence, settle('kept', sequence, 'processed'));
      }
      // Retention: the cursor first, then the items.
      await cursors.keep('kept', 2);
      await store.collection(QUEUE).deleteMany({ _id: { $in: ['kept#1', 'kept#2'] } });
      expect(await afresh().applied('kept')).toBe(3);
      await store.collection(QUEUE).deleteMany({ _id: 'kept#3' });
      expect(await afresh().applied('kept')).toBe(2);

      // The last applied, reprocessed: the key goes back before it, stored cursor included.
      await claimed('kept', 3);
      await cursors.recorded('kept', 3, settle('kept', 3, 'processed'));
      await cursors.keep('kept', 3);
      expect(await cursors.movedBack('kept', 2, settle('kept', 3, 'ready', 'processed'))).toEqual({ status: 'ready' });
      expect(await cursors.applied('kept')).toBe(2);
      expect(await afresh().applied('kept')).toBe(2);
    });

    it('answers from memory after many keys went on at once, as a stream of changes moves them', async () => {
      await closeOpened();
      const { store, cursors, claimed, settle, reads } = await open();
      const keys = Array.from({ length: 40 }, (_, index) => `stream-${index}`);
      for (const sequence of [1, 2]) {
        await Promise.all(keys.map((key) => claimed(key, sequence)));
        expect(await Promise.all(keys.map((key) => cursors.recorded(key, sequence, settle(key, sequence, 'processed'))))).toEqual(keys.map(() => ({ status: 'processed' })));
      }
      await aTurn();
      const before = reads();
      expect(await Promise.all(keys.map((key) => cursors.applied(key)))).toEqual(keys.map(() => 2));
      if (store.aloneSince() !== undefined) expect(reads() - before).toBe(0);
    });

    // Only where processes share a database: an embedded store's files are one process's.
    const sharedDatabase = adapter.name === 'embedded' ? it.skip : it;
    sharedDatabase('sees an item another process recorded once that process came (not on the embedded store, which no second process opens)', async () => {
      // The last test's process leaves, so that this one's first holds the database alone.
      await closeOpened();
      const first = await open();
      await until(async () => first.store.aloneSince() !== undefined, 'the first process holds the database alone');
      await first.claimed('shared', 1);
      await first.cursors.recorded('shared', 1, first.settle('shared', 1, 'processed'));
      expect(await first.cursors.applied('shared')).toBe(1);
      const second = await open();
      await second.claimed('shared', 2);
      await second.cursors.recorded('shared', 2, second.settle('shared', 2, 'processed'));
      expect(await first.cursors.applied('shared')).toBe(2);
    });
  });
}
