import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '@lockstep/store';
import { type ContractContext, idShape, idsOf } from './context.js';

export function insertsAndReads(context: ContractContext): void {
  describe('inserting and reading', () => {
    it('gives a document without _id a 32-hex string id and returns what it stored', async () => {
      const items = context.freshCollection();
      const inserted = await items.insertOne({ name: 'widget', count: 2 });
      expect(inserted._id).toMatch(idShape);
      expect(inserted).toEqual({ _id: inserted._id, name: 'widget', count: 2 });
      expect(await items.findOne({ _id: inserted._id })).toEqual(inserted);
    });

    it('keeps a given _id', async () => {
      const items = context.freshCollection();
      await items.insertOne({ _id: 'chosen', name: 'widget' });
      expect(await items.findOne({ name: 'widget' })).toEqual({ _id: 'chosen', name: 'widget' });
    });

    it('refuses a second document with the same _id', async () => {
      const items = context.freshCollection();
      await items.insertOne({ _id: 'same' });
      const clash = items.insertOne({ _id: 'same', other: true });
      await expect(clash).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(clash).rejects.toMatchObject({ name: 'DuplicateKeyError', collection: items.name });
      expect(await items.find({})).toEqual([{ _id: 'same' }]);
    });

    it('answers inserts made at once each on its own: a unique clash fails only its own insert', async () => {
      const items = context.freshCollection();
      await items.createIndex({ fields: ['email'], unique: true });
      await items.insertOne({ _id: 'taken', email: 'ann@example.com' });
      // Asked for at once, these may go to the server together (the mongodb adapter's group commit of inserts).
      const inserts = ['bob', 'ann', 'cy', 'dee', 'bob'].map((name, index) => items.insertOne({ _id: `i${index}`, email: `${name}@example.com` }));
      const outcomes = await Promise.allSettled(inserts);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(DuplicateKeyError);
      expect(await idsOf(items, {})).toEqual(['i0', 'i2', 'i3', 'taken']);
    });

    it('inserts many, generating the missing ids', async () => {
      const items = context.freshCollection();
      const inserted = await items.insertMany([{ _id: 'first', n: 1 }, { n: 2 }, { n: 3 }]);
      expect(inserted.map((doc) => doc.n)).toEqual([1, 2, 3]);
      expect(inserted[0]?._id).toBe('first');
      expect(inserted[1]?._id).toMatch(idShape);
      expect(new Set(inserted.map((doc) => doc._id)).size).toBe(3);
      expect(await items.countDocuments({})).toBe(3);
    });

    it('inserts nothing from an empty list', async () => {
      const items = context.freshCollection();
      expect(await items.insertMany([])).toEqual([]);
      expect(await items.countDocuments({})).toBe(0);
    });

    it('keeps the documents before a duplicate in insertMany and drops those after it', async () => {
      const items = context.freshCollection();
      await items.insertOne({ _id: 'taken' });
      await expect(items.insertMany([{ _id: 'before' }, { _id: 'taken' }, { _id: 'after' }])).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await idsOf(items, {})).toEqual(['before', 'taken']);
    });

    it('returns null from findOne when nothing matches', async () => {
      const items = context.freshCollection();
      await items.insertOne({ n: 1 });
      expect(await items.findOne({ n: 2 })).toBeNull();
    });

    it('round-trips dates, also inside objects and arrays', async () => {
      const items = context.freshCollection();
      const at = new Date('2024-02-29T12:34:56.789Z');
      await items.insertOne({ _id: 'dated', at, nested: { at }, history: [at] });
      const read = await items.findOne({ _id: 'dated' });
      expect(read?.at).toBeInstanceOf(Date);
      expect(read).toEqual({ _id: 'dated', at, nested: { at }, history: [at] });
    });

    it('returns plain objects that do not alias what is stored', async () => {
      const items = context.freshCollection();
      await items.insertOne({ _id: 'x', tags: ['a'], nested: { n: 1 } });
      const read = await items.findOne({ _id: 'x' });
      expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
      (read?.tags as string[]).push('changed');
      (read?.nested as { n: number }).n = 2;
      expect(await items.findOne({ _id: 'x' })).toEqual({ _id: 'x', tags: ['a'], nested: { n: 1 } });
    });

    it('does not store a field whose value is undefined', async () => {
      const items = context.freshCollection();
      await items.insertOne({ _id: 'x', kept: 1, dropped: undefined });
      expect(await items.countDocuments({ dropped: { $exists: true } })).toBe(0);
      expect(await items.countDocuments({ dropped: { $exists: false } })).toBe(1);
    });

    it('refuses collection names that are not safe as a file name and a MongoDB name', () => {
      for (const name of ['../escape', 'a.b', 'a/b', '$cmd', '', '1starts-with-digit']) {
        expect(() => context.store().collection(name), name).toThrow(/invalid collection name/);
      }
      expect(context.store().collection('sys_user-2').name).toBe('sys_user-2');
    });
  });
}
