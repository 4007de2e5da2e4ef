import { describe, expect, it } from 'vitest';
import type { StoredDocument } from '@lockstep/store';
import type { ContractContext } from './context.js';

interface QueueItem extends StoredDocument {
  status: 'Ready' | 'Claimed' | 'Done';
  createdAt: Date;
  claimedBy?: number;
}

const minute = 60_000;

export function claims(context: ContractContext): void {
  describe('queue claims', () => {
    const claim = (items: ReturnType<typeof context.freshCollection<QueueItem>>, worker: number): Promise<QueueItem | null> =>
      items.findOneAndUpdate({ status: 'Ready' }, { $set: { status: 'Claimed', claimedBy: worker } }, { sort: { createdAt: 1, _id: 1 } });

    it('claims Ready items oldest first, skipping the others, then finds none', async () => {
      const items = context.freshCollection<QueueItem>();
      const start = Date.parse('2024-05-01T00:00:00Z');
      // Inserted out of age order, so neither insertion order nor _id order gives the answer.
      await items.insertMany([
        { _id: 'm', status: 'Ready', createdAt: new Date(start + 3 * minute) },
        { _id: 'z', status: 'Ready', createdAt: new Date(start + 1 * minute) },
        { _id: 'a', status: 'Done', createdAt: new Date(start) },
        { _id: 'k', status: 'Ready', createdAt: new Date(start + 2 * minute) },
        { _id: 'b', status: 'Claimed', createdAt: new Date(start + 0.5 * minute) },
      ]);
      const claimed: (string | undefined)[] = [];
      for (let worker = 0; worker < 4; worker += 1) claimed.push((await claim(items, worker))?._id);
      expect(claimed).toEqual(['z', 'k', 'm', undefined]);
      expect(await items.findOne({ _id: 'a' })).toMatchObject({ status: 'Done' });
    });

    it('gives 50 concurrent claims over 20 items 20 distinct items and 30 nulls', async () => {
      const items = context.freshCollection<QueueItem>();
      const start = Date.parse('2024-05-01T00:00:00Z');
      await items.insertMany(Array.from({ length: 20 }, (_, index) => ({ _id: `item${index}`, status: 'Ready' as const, createdAt: new Date(start + index * minute) })));

      const results = await Promise.all(Array.from({ length: 50 }, (_, worker) => claim(items, worker)));

      const won = results.filter((result): result is QueueItem => result !== null);
      expect(won).toHaveLength(20);
      expect(results.filter((result) => result === null)).toHaveLength(30);
      expect(new Set(won.map((item) => item._id)).size).toBe(20);
      expect(new Set(won.map((item) => item.claimedBy)).size).toBe(20);
      // Each winner's answer is what the store holds: nobody overwrote a claim after it was made.
      const stored = await items.find({}, { sort: { _id: 1 } });
      expect(stored.every((item) => item.status === 'Claimed')).toBe(true);
      expect(new Map(stored.map((item) => [item._id, item.claimedBy]))).toEqual(new Map(won.map((item) => [item._id, item.claimedBy])));
    });

    it('gives 20 concurrent compare-and-sets on one document by _id one winner', async () => {
      const items = context.freshCollection<QueueItem>();
      await items.insertOne({ _id: 'only', status: 'Ready', createdAt: new Date() });

      const results = await Promise.all(
        Array.from({ length: 20 }, (_, worker) => items.findOneAndUpdate({ _id: 'only', status: 'Ready' }, { $set: { status: 'Claimed', claimedBy: worker } })),
      );

      const won = results.filter((result): result is QueueItem => result !== null);
      expect(won).toHaveLength(1);
      expect(await items.findOne({ _id: 'only' })).toMatchObject({ status: 'Claimed', claimedBy: won[0]!.claimedBy });
    });

    it('finishes 100 concurrent compare-and-sets on as many documents (FerretDB would hold its every connection)', async () => {
      const items = context.freshCollection<QueueItem>();
      const ids = Array.from({ length: 100 }, (_, index) => `many${index}`);
      await items.insertMany(ids.map((_id) => ({ _id, status: 'Ready' as const, createdAt: new Date() })));

      const results = await Promise.all(ids.map((_id, worker) => items.findOneAndUpdate({ _id, status: 'Ready' }, { $set: { status: 'Claimed', claimedBy: worker } })));

      expect(results.filter((result) => result !== null)).toHaveLength(100);
    });

    it('loses none of 20 concurrent updates to one document by _id, nor those to others meanwhile', async () => {
      const counters = context.freshCollection<{ _id: string; n: number }>();
      await counters.insertMany([{ _id: 'hot', n: 0 }, { _id: 'other', n: 0 }]);

      await Promise.all([
        ...Array.from({ length: 20 }, () => counters.updateOne({ _id: 'hot' }, { $inc: { n: 1 } })),
        ...Array.from({ length: 5 }, () => counters.updateOne({ _id: 'other' }, { $inc: { n: 1 } })),
        counters.updateMany({}, { $inc: { n: 100 } }),
      ]);

      expect(await counters.find({}, { sort: { _id: 1 } })).toEqual([
        { _id: 'hot', n: 120 },
        { _id: 'other', n: 105 },
      ]);
    });
  });
}
