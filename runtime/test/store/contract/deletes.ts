import { describe, expect, it } from 'vitest';
import type { Collection } from '@lockstep/store';
import { type ContractContext, idsOf } from './context.js';

export function deletes(context: ContractContext): void {
  describe('deletes', () => {
    async function items(): Promise<Collection> {
      const collection = context.freshCollection();
      await collection.insertMany([
        { _id: 'd1', kind: 'a' },
        { _id: 'd2', kind: 'a' },
        { _id: 'd3', kind: 'b' },
        { _id: 'd4', kind: 'c' },
      ]);
      return collection;
    }

    it('deleteOne removes one matching document and says how many it removed', async () => {
      const collection = await items();
      expect(await collection.deleteOne({ kind: 'a' })).toBe(1);
      expect(await collection.countDocuments({ kind: 'a' })).toBe(1);
      expect(await collection.deleteOne({ kind: 'z' })).toBe(0);
      expect(await collection.countDocuments({})).toBe(3);
    });

    it('deleteMany removes every matching document', async () => {
      const collection = await items();
      expect(await collection.deleteMany({ kind: { $in: ['a', 'c'] } })).toBe(3);
      expect(await idsOf(collection, {})).toEqual(['d3']);
      expect(await collection.deleteMany({ kind: 'z' })).toBe(0);
      expect(await collection.deleteMany({})).toBe(1);
      expect(await collection.countDocuments({})).toBe(0);
    });
  });
}
