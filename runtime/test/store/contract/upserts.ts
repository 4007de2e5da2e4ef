import { describe, expect, it } from 'vitest';
import { DuplicateKeyError, type Filter, type Update } from '@lockstep/store';
import { type ContractContext, idShape } from './context.js';

export function upserts(context: ContractContext): void {
  describe('upserts', () => {
    it('inserts the filter with the update applied when nothing matches, under a generated string id', async () => {
      const items = context.freshCollection();
      await items.insertOne({ _id: 'other', kind: 'b' });
      const result = await items.updateOne({ kind: 'a' }, { $set: { n: 1 }, $inc: { hits: 1 } }, { upsert: true });
      expect(result).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: expect.stringMatching(idShape) });
      expect(await items.findOne({ kind: 'a' })).toEqual({ _id: result.upsertedId, kind: 'a', n: 1, hits: 1 });
    });

    it('updates instead when something matches', async () => {
      const items = context.freshCollection();
      await items.insertOne({ _id: 'x', kind: 'a', hits: 1 });
      expect(await items.updateOne({ kind: 'a' }, { $inc: { hits: 1 } }, { upsert: true })).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      expect(await items.find({})).toEqual([{ _id: 'x', kind: 'a', hits: 2 }]);
    });

    it('takes the _id from the filter', async () => {
      const items = context.freshCollection();
      expect(await items.updateOne({ _id: 'counter' }, { $inc: { next: 1 } }, { upsert: true })).toMatchObject({ upsertedId: 'counter' });
      expect(await items.findOne({ _id: 'counter' })).toEqual({ _id: 'counter', next: 1 });
    });

    it('expands dotted paths of the filter, and lets the update work on the filter fields', async () => {
      const items = context.freshCollection();
      const filter = { 'owner.name': 'ann', 'owner.team': 'blue', count: 5, tags: ['a'], at: new Date('2024-01-01T00:00:00Z'), gone: 'soon' };
      const update: Update = { $inc: { count: 1 }, $push: { tags: 'b' }, $unset: { gone: 1 }, $set: { 'owner.role': 'lead' } };
      const { upsertedId } = await items.updateOne(filter, update, { upsert: true });
      expect(await items.findOne({ _id: upsertedId })).toEqual({
        _id: upsertedId,
        owner: { name: 'ann', team: 'blue', role: 'lead' },
        count: 6,
        tags: ['a', 'b'],
        at: new Date('2024-01-01T00:00:00Z'),
      });
    });

    it('upserts through updateMany too', async () => {
      const items = context.freshCollection();
      const { upsertedId } = await items.updateMany({ kind: 'b' }, { $push: { log: 'created' } }, { upsert: true });
      expect(upsertedId).toMatch(idShape);
      expect(await items.findOne({ kind: 'b' })).toEqual({ _id: upsertedId, kind: 'b', log: ['created'] });
    });

    it('ignores a $pull from a field the new document lacks', async () => {
      const items = context.freshCollection();
      const { upsertedId } = await items.updateOne({ kind: 'c' }, { $pull: { list: 'a' } }, { upsert: true });
      expect(await items.findOne({ _id: upsertedId })).toEqual({ _id: upsertedId, kind: 'c' });
    });

    it('reports a duplicate when the filter names an _id that exists but does not match', async () => {
      const items = context.freshCollection();
      await items.insertOne({ _id: 'x', n: 3 });
      await expect(items.updateOne({ _id: 'x', n: 6 }, { $set: { seen: true } }, { upsert: true })).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await items.find({})).toEqual([{ _id: 'x', n: 3 }]);
    });

    it.each<[string, Filter]>([
      ['an operator', { kind: 'a', n: { $gt: 5 } }],
      ['$eq', { kind: { $eq: 'a' } }],
      ['$and', { $and: [{ kind: 'a' }] }],
      ['a RegExp', { label: /^l/ }],
      ['an embedded document', { owner: { name: 'ann' } }],
      ['a non-string _id', { _id: 5 }],
    ])('refuses an upsert whose filter holds %s, inserting nothing', async (_label, filter) => {
      const items = context.freshCollection();
      await expect(items.updateOne(filter, { $set: { seen: true } }, { upsert: true })).rejects.toThrow(/an upsert's filter/);
      await expect(items.updateMany(filter, { $set: { seen: true } }, { upsert: true })).rejects.toThrow(/an upsert's filter/);
      await expect(items.findOneAndUpdate(filter, { $set: { seen: true } }, { upsert: true })).rejects.toThrow(/an upsert's filter/);
      expect(await items.countDocuments({})).toBe(0);
    });
  });
}
