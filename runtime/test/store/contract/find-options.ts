import { beforeAll, describe, expect, it } from 'vitest';
import type { Collection } from '@lockstep/store';
import type { ContractContext } from './context.js';

const tickets = [
  { _id: 't1', group: 'b', rank: 2, title: 'one', detail: { size: 3, colour: 'red' }, opened: new Date('2024-01-03T00:00:00Z') },
  { _id: 't2', group: 'a', rank: 1, title: 'two', detail: { size: 1, colour: 'blue' }, opened: new Date('2024-01-01T00:00:00Z') },
  { _id: 't3', group: 'b', rank: 5, title: 'three', detail: { size: 2, colour: 'green' }, opened: new Date('2024-01-05T00:00:00Z') },
  { _id: 't4', group: 'a', rank: 3, title: 'four', detail: { size: 5, colour: 'red' }, opened: new Date('2024-01-02T00:00:00Z') },
  { _id: 't5', group: 'c', rank: 4, title: 'five', detail: { size: 4, colour: 'blue' }, opened: new Date('2024-01-04T00:00:00Z') },
];

export function findOptions(context: ContractContext): void {
  describe('sort, skip, limit and projection', () => {
    let items: Collection;
    beforeAll(async () => {
      items = context.freshCollection();
      await items.insertMany(tickets);
    });

    const ids = async (options: Parameters<Collection['find']>[1]): Promise<string[]> => (await items.find({}, options)).map((doc) => doc._id);

    it('sorts ascending and descending', async () => {
      expect(await ids({ sort: { rank: 1 } })).toEqual(['t2', 't1', 't4', 't5', 't3']);
      expect(await ids({ sort: { rank: -1 } })).toEqual(['t3', 't5', 't4', 't1', 't2']);
    });

    it('sorts on several keys in the order given', async () => {
      expect(await ids({ sort: { group: 1, rank: -1 } })).toEqual(['t4', 't2', 't3', 't1', 't5']);
      expect(await ids({ sort: { group: -1, rank: 1 } })).toEqual(['t5', 't1', 't3', 't2', 't4']);
    });

    it('sorts on a dotted path and on dates', async () => {
      expect(await ids({ sort: { 'detail.size': 1 } })).toEqual(['t2', 't3', 't1', 't5', 't4']);
      expect(await ids({ sort: { opened: -1 } })).toEqual(['t3', 't5', 't1', 't4', 't2']);
    });

    it('skips and limits after sorting', async () => {
      expect(await ids({ sort: { rank: 1 }, skip: 1, limit: 2 })).toEqual(['t1', 't4']);
      expect(await ids({ sort: { rank: 1 }, limit: 0 })).toHaveLength(5);
      expect(await ids({ sort: { rank: 1 }, skip: 4 })).toEqual(['t3']);
      expect(await ids({ sort: { rank: 1 }, skip: 10 })).toEqual([]);
    });

    it('projects by inclusion, keeping _id unless excluded', async () => {
      expect(await items.find({ _id: 't1' }, { projection: { title: 1, rank: 1 } })).toEqual([{ _id: 't1', title: 'one', rank: 2 }]);
      expect(await items.find({ _id: 't1' }, { projection: { title: 1, _id: 0 } })).toEqual([{ title: 'one' }]);
    });

    it('projects a dotted path by inclusion, leaving out missing fields', async () => {
      expect(await items.find({ _id: 't2' }, { projection: { 'detail.size': 1, missing: 1 } })).toEqual([{ _id: 't2', detail: { size: 1 } }]);
    });

    it('projects by exclusion, also of a dotted path and of _id', async () => {
      expect(await items.find({ _id: 't3' }, { projection: { detail: 0, opened: 0 } })).toEqual([{ _id: 't3', group: 'b', rank: 5, title: 'three' }]);
      expect(await items.find({ _id: 't3' }, { projection: { 'detail.colour': 0, opened: 0, _id: 0 } })).toEqual([
        { group: 'b', rank: 5, title: 'three', detail: { size: 2 } },
      ]);
    });

    it('lets findOne take the first by sort, with a projection', async () => {
      expect(await items.findOne({ group: 'b' }, { sort: { rank: -1 } })).toMatchObject({ _id: 't3' });
      expect(await items.findOne({ group: 'a' }, { sort: { opened: 1 }, projection: { title: 1 } })).toEqual({ _id: 't2', title: 'two' });
    });
  });
}
