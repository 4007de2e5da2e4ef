import { describe, expect, it } from 'vitest';
import type { Collection } from '@lockstep/store';
import { type ContractContext, idShape } from './context.js';

export function findOneAndUpdate(context: ContractContext): void {
  describe('findOneAndUpdate', () => {
    async function queue(): Promise<Collection> {
      const items = context.freshCollection();
      await items.insertMany([
        { _id: 'q1', status: 'Ready', priority: 2 },
        { _id: 'q2', status: 'Ready', priority: 1 },
        { _id: 'q3', status: 'Done', priority: 3 },
      ]);
      return items;
    }

    it('returns the document after the update by default', async () => {
      const items = await queue();
      expect(await items.findOneAndUpdate({ _id: 'q1' }, { $set: { status: 'Claimed' } })).toEqual({ _id: 'q1', status: 'Claimed', priority: 2 });
      expect(await items.findOneAndUpdate({ _id: 'q2' }, { $set: { status: 'Claimed' } }, { returnDocument: 'after' })).toEqual({
        _id: 'q2',
        status: 'Claimed',
        priority: 1,
      });
    });

    it('returns the document before the update when asked, and still updates it', async () => {
      const items = await queue();
      expect(await items.findOneAndUpdate({ _id: 'q1' }, { $inc: { priority: 5 } }, { returnDocument: 'before' })).toEqual({
        _id: 'q1',
        status: 'Ready',
        priority: 2,
      });
      expect(await items.findOne({ _id: 'q1' })).toEqual({ _id: 'q1', status: 'Ready', priority: 7 });
    });

    it('takes the first match by sort', async () => {
      const items = await queue();
      expect(await items.findOneAndUpdate({ status: 'Ready' }, { $set: { status: 'Claimed' } }, { sort: { priority: 1 } })).toMatchObject({ _id: 'q2' });
      expect(await items.findOneAndUpdate({}, { $set: { status: 'Claimed' } }, { sort: { priority: -1 } })).toMatchObject({ _id: 'q3' });
      expect(await items.countDocuments({ status: 'Claimed' })).toBe(2);
      expect(await items.findOne({ _id: 'q1' })).toMatchObject({ status: 'Ready' });
    });

    it('returns null and changes nothing when nothing matches', async () => {
      const items = await queue();
      expect(await items.findOneAndUpdate({ status: 'Missing' }, { $set: { status: 'Claimed' } })).toBeNull();
      expect(await items.countDocuments({ status: 'Claimed' })).toBe(0);
    });

    it('upserts, returning the new document after, or null before', async () => {
      const items = context.freshCollection();
      const after = await items.findOneAndUpdate({ kind: 'a' }, { $set: { n: 1 } }, { upsert: true, returnDocument: 'after' });
      expect(after).toEqual({ _id: expect.stringMatching(idShape), kind: 'a', n: 1 });
      expect(await items.findOneAndUpdate({ kind: 'b' }, { $set: { n: 2 } }, { upsert: true, returnDocument: 'before' })).toBeNull();
      expect(await items.findOne({ kind: 'b' })).toMatchObject({ kind: 'b', n: 2 });
    });

    it('counts up from an upserted counter', async () => {
      const items = context.freshCollection();
      const next = async (): Promise<unknown> => (await items.findOneAndUpdate({ _id: 'INC' }, { $inc: { next: 1 } }, { upsert: true }))?.next;
      expect([await next(), await next(), await next()]).toEqual([1, 2, 3]);
    });
  });
}
