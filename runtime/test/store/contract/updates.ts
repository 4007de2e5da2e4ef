import { describe, expect, it } from 'vitest';
import type { Collection, Update } from '@lockstep/store';
import type { ContractContext } from './context.js';

export function updates(context: ContractContext): void {
  describe('updates', () => {
    /** Applies one update to a fresh copy of `doc` and returns the document after it. */
    async function afterUpdate(doc: Record<string, unknown>, update: Update): Promise<Record<string, unknown> | null> {
      const items = context.freshCollection();
      await items.insertOne({ _id: 'x', ...doc });
      expect(await items.updateOne({ _id: 'x' }, update)).toMatchObject({ matchedCount: 1 });
      return items.findOne({ _id: 'x' });
    }

    async function threeItems(): Promise<Collection> {
      const items = context.freshCollection();
      await items.insertMany([
        { _id: 'i1', kind: 'a', n: 1 },
        { _id: 'i2', kind: 'a', n: 2 },
        { _id: 'i3', kind: 'b', n: 3 },
      ]);
      return items;
    }

    it('updateOne changes one matching document and counts it', async () => {
      const items = await threeItems();
      expect(await items.updateOne({ kind: 'a' }, { $set: { seen: true } })).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      expect(await items.countDocuments({ seen: true })).toBe(1);
      expect(await items.countDocuments({ kind: 'a', seen: true })).toBe(1);
    });

    it('updateMany changes every matching document', async () => {
      const items = await threeItems();
      expect(await items.updateMany({ kind: 'a' }, { $inc: { n: 10 } })).toEqual({ matchedCount: 2, modifiedCount: 2, upsertedId: null });
      expect((await items.find({}, { sort: { _id: 1 } })).map((doc) => doc.n)).toEqual([11, 12, 3]);
    });

    it('counts only documents whose content changed as modified', async () => {
      const items = await threeItems();
      expect(await items.updateMany({}, { $set: { kind: 'a' } })).toEqual({ matchedCount: 3, modifiedCount: 1, upsertedId: null });
      expect(await items.updateOne({ _id: 'i1' }, { $unset: { absent: true } })).toEqual({ matchedCount: 1, modifiedCount: 0, upsertedId: null });
    });

    it('reports nothing matched without changing anything', async () => {
      const items = await threeItems();
      expect(await items.updateOne({ kind: 'z' }, { $set: { n: 0 } })).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
      expect(await items.updateMany({ kind: 'z' }, { $set: { n: 0 } })).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
      expect(await items.countDocuments({ n: 0 })).toBe(0);
    });

    it('$set replaces fields and creates nested ones along a dotted path', async () => {
      expect(await afterUpdate({ a: 1, o: { keep: true } }, { $set: { a: 2, 'o.added': 'yes', 'p.q': 3 } })).toEqual({
        _id: 'x',
        a: 2,
        o: { keep: true, added: 'yes' },
        p: { q: 3 },
      });
    });

    it('$unset removes fields, also along a dotted path', async () => {
      expect(await afterUpdate({ a: 1, b: 2, o: { c: 3, d: 4 } }, { $unset: { a: true, 'o.c': '', missing: 1 } })).toEqual({ _id: 'x', b: 2, o: { d: 4 } });
    });

    it('$inc adds to a number and starts a missing one from zero', async () => {
      expect(await afterUpdate({ n: 5, o: {} }, { $inc: { n: -2, fresh: 3, 'o.count': 1 } })).toEqual({ _id: 'x', n: 3, fresh: 3, o: { count: 1 } });
    });

    it('$push appends one value, or several with $each, and creates a missing array', async () => {
      expect(await afterUpdate({ list: [1] }, { $push: { list: 2, fresh: { note: 'a' } } })).toEqual({ _id: 'x', list: [1, 2], fresh: [{ note: 'a' }] });
      expect(await afterUpdate({ list: [1] }, { $push: { list: { $each: [2, 3] } } })).toEqual({ _id: 'x', list: [1, 2, 3] });
    });

    it('$pull removes every element equal to the value', async () => {
      const early = new Date('2024-01-01T00:00:00Z');
      const late = new Date('2024-06-01T00:00:00Z');
      expect(await afterUpdate({ list: ['a', 'b', 'a', 'c'], dates: [early, late], flags: [null, true] }, { $pull: { list: 'a', dates: early, flags: null } })).toEqual({
        _id: 'x',
        list: ['b', 'c'],
        dates: [late],
        flags: [true],
      });
    });

    it('$pull from a missing field changes nothing', async () => {
      const items = context.freshCollection();
      await items.insertOne({ _id: 'x', other: 1 });
      expect(await items.updateOne({ _id: 'x' }, { $pull: { list: 'a' } })).toEqual({ matchedCount: 1, modifiedCount: 0, upsertedId: null });
      expect(await items.updateOne({ _id: 'x' }, { $pull: { list: 'a' }, $set: { other: 2 } })).toMatchObject({ modifiedCount: 1 });
      expect(await items.findOne({ _id: 'x' })).toEqual({ _id: 'x', other: 2 });
    });

    it('$addToSet adds only values not already present, also with $each', async () => {
      expect(await afterUpdate({ set: ['a'] }, { $addToSet: { set: 'a', fresh: 'z' } })).toEqual({ _id: 'x', set: ['a'], fresh: ['z'] });
      expect(await afterUpdate({ set: ['a'] }, { $addToSet: { set: { $each: ['b', 'a', 'c'] } } })).toEqual({ _id: 'x', set: ['a', 'b', 'c'] });
    });

    it('$min and $max keep the lower or higher value, for numbers and dates, and set a missing field', async () => {
      const early = new Date('2024-01-01T00:00:00Z');
      const late = new Date('2024-06-01T00:00:00Z');
      expect(await afterUpdate({ low: 5, high: 5, first: late, last: early }, { $min: { low: 3, first: early, unset: 1 }, $max: { high: 9, last: late } })).toEqual({
        _id: 'x',
        low: 3,
        high: 9,
        first: early,
        last: late,
        unset: 1,
      });
      expect(await afterUpdate({ low: 5, high: 5 }, { $min: { low: 8 }, $max: { high: 1 } })).toEqual({ _id: 'x', low: 5, high: 5 });
    });

    it('applies several operators in one update', async () => {
      expect(await afterUpdate({ n: 1, list: [], gone: true }, { $set: { s: 'v' }, $inc: { n: 1 }, $push: { list: 'e' }, $unset: { gone: 1 } })).toEqual({
        _id: 'x',
        n: 2,
        s: 'v',
        list: ['e'],
      });
    });

    it.each<[string, Update, RegExp]>([
      ['an update without operators', {}, /at least one operator/],
      ['an operator outside the port', { $rename: { a: 'b' } } as Update, /\$rename is not part of the store port/],
      ['an operator without fields', { $set: 1 } as unknown as Update, /\$set needs an object/],
      ['a condition in $pull', { $pull: { list: { $gte: 5 } } } as unknown as Update, /\$pull on list takes a plain value/],
      ['a document in $pull', { $pull: { list: { sku: 'a' } } } as unknown as Update, /\$pull on list takes a plain value/],
    ])('refuses %s and changes nothing', async (_label, update, message) => {
      const items = await threeItems();
      await expect(items.updateOne({ _id: 'i1' }, update)).rejects.toThrow(message);
      await expect(items.updateMany({}, update)).rejects.toThrow(message);
      await expect(items.findOneAndUpdate({}, update)).rejects.toThrow(message);
      expect(await items.findOne({ _id: 'i1' })).toEqual({ _id: 'i1', kind: 'a', n: 1 });
    });

    it('refuses to change _id', async () => {
      const items = await threeItems();
      await expect(items.updateOne({ _id: 'i1' }, { $set: { _id: 'other' } })).rejects.toThrow();
      expect(await items.findOne({ _id: 'i1' })).toEqual({ _id: 'i1', kind: 'a', n: 1 });
    });
  });
}
