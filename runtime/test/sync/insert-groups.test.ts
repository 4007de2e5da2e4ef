import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DuplicateKeyError, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';
import { InsertGroups } from '../../src/sync/insert-groups.js';
import { storeAdapters } from '../store/adapters.js';

interface Envelope extends StoredDocument {
  key: string;
  sequence: number;
  /** When it was queued: a repeat of an envelope comes at another time. */
  at: number;
}

/** The inbound queue's inserts: those of one turn of the event loop go in one write, each answered as its own insertOne would be. */
describe.each(storeAdapters().map((adapter) => [adapter.name, adapter] as const))('insert groups on the %s store', (_name, adapter) => {
  describe.skipIf(adapter.skipReason !== undefined)(adapter.skipReason ?? 'groups', () => {
    let store: DocumentStore;
    let items: Collection<Envelope>;
    beforeEach(async () => {
      store = await adapter.open();
      items = store.collection<Envelope>(`items_${Math.random().toString(36).slice(2, 8)}`);
      await items.createIndex({ fields: ['key', 'sequence'], unique: true });
    });
    afterEach(async () => {
      await store.close();
      await adapter.dispose();
    });

    it('writes the inserts of one turn together', async () => {
      const insertMany = vi.spyOn(items, 'insertMany');
      const groups = new InsertGroups(items);
      const docs = [1, 2, 3].map((sequence) => ({ _id: `e${sequence}`, key: 'k', sequence, at: 1 }));
      expect(await Promise.all(docs.map((doc) => groups.insertOne(doc)))).toEqual(docs);
      expect(insertMany).toHaveBeenCalledTimes(1);
      expect(await items.countDocuments({})).toBe(3);
    });

    it('answers each of a group that met a clash as alone: stored, or refused as a duplicate', async () => {
      await items.insertOne({ _id: 'e2', key: 'k', sequence: 2, at: 1 });
      await items.insertOne({ _id: 'other', key: 'k', sequence: 4, at: 1 });
      const groups = new InsertGroups(items);
      const outcomes = await Promise.allSettled([1, 2, 3, 4].map((sequence) => groups.insertOne({ _id: `e${sequence}`, key: 'k', sequence, at: 2 })));
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(DuplicateKeyError);
      expect((await items.find({}, { sort: { sequence: 1 } })).map((item) => item._id)).toEqual(['e1', 'e2', 'e3', 'other']);
    });
  });
});
