import { beforeAll, describe, expect, it } from 'vitest';
import type { Collection, Filter } from '@lockstep/store';
import { type ContractContext, idsOf } from './context.js';

/*
 * a..d cover every case the filters below tell apart: a null `z` (a), a missing
 * `z` (b, d), an empty array (c), a missing array (d), a missing `o` (c) and a
 * missing `o.c` (b).
 */
const fruit = [
  { _id: 'a', n: 1, s: 'Apple', tags: ['red', 'fruit'], o: { b: 1, c: 'x' }, z: null, at: new Date('2024-01-01T00:00:00Z') },
  { _id: 'b', n: 2, s: 'banana', tags: ['yellow', 'fruit'], o: { b: 2 }, at: new Date('2024-02-01T00:00:00Z') },
  { _id: 'c', n: 3, s: 'cherry', tags: [], z: 'set', at: new Date('2024-03-01T00:00:00Z') },
  { _id: 'd', n: 4, s: 'Date', o: { b: 2, c: 'y' } },
];

const cases: [string, Filter, string[]][] = [
  ['an empty filter', {}, ['a', 'b', 'c', 'd']],
  ['a plain value', { n: 2 }, ['b']],
  ['several fields', { tags: 'fruit', n: { $gt: 1 } }, ['b']],
  ['$eq', { s: { $eq: 'cherry' } }, ['c']],
  ['$ne', { n: { $ne: 2 } }, ['a', 'c', 'd']],
  ['$gt', { n: { $gt: 2 } }, ['c', 'd']],
  ['$gte', { n: { $gte: 2 } }, ['b', 'c', 'd']],
  ['$lt', { n: { $lt: 2 } }, ['a']],
  ['$lte', { n: { $lte: 2 } }, ['a', 'b']],
  ['a range', { n: { $gt: 1, $lt: 4 } }, ['b', 'c']],
  ['$ne with a range', { n: { $ne: 3, $gte: 2 } }, ['b', 'd']],
  ['a date', { at: new Date('2024-01-01T00:00:00Z') }, ['a']],
  ['a date range', { at: { $gte: new Date('2024-02-01T00:00:00Z'), $lt: new Date('2024-03-01T00:00:00Z') } }, ['b']],
  ['$in', { s: { $in: ['Apple', 'cherry', 'none'] } }, ['a', 'c']],
  ['an empty $in', { s: { $in: [] } }, []],
  ['$nin', { n: { $nin: [1, 2] } }, ['c', 'd']],
  ['$exists: true (a null counts)', { z: { $exists: true } }, ['a', 'c']],
  ['$exists: false', { z: { $exists: false } }, ['b', 'd']],
  ['$regex', { s: { $regex: /an/ } }, ['b']],
  ['$regex, case-sensitive', { s: { $regex: /^d/ } }, []],
  ['$regex with the i flag', { s: { $regex: /^d/i } }, ['d']],
  ['a RegExp as the value', { s: /^[ab]/i }, ['a', 'b']],
  ['$and', { $and: [{ n: { $gte: 2 } }, { n: { $lte: 3 } }] }, ['b', 'c']],
  ['$or', { $or: [{ n: 1 }, { s: 'Date' }] }, ['a', 'd']],
  ['$or inside $and beside a field', { n: { $lt: 4 }, $and: [{ $or: [{ z: 'set' }, { 'o.b': 2 }] }] }, ['b', 'c']],
  ['$nor', { $nor: [{ n: 1 }, { s: 'Date' }] }, ['b', 'c']],
  ['$nor with a regex also matches a missing field', { $nor: [{ z: { $regex: /se/i } }] }, ['a', 'b', 'd']],
  ['$nor inside $and', { $and: [{ n: { $gt: 1 } }, { $nor: [{ tags: 'fruit' }] }] }, ['c', 'd']],
  ['$and inside $or', { $or: [{ $and: [{ n: { $gt: 1 } }, { tags: 'fruit' }] }, { z: 'set' }] }, ['b', 'c']],
  ['a dotted path', { 'o.b': 2 }, ['b', 'd']],
  ['$exists on a dotted path', { 'o.c': { $exists: true } }, ['a', 'd']],
  ['an array element', { tags: 'fruit' }, ['a', 'b']],
  ['$in over array elements', { tags: { $in: ['red', 'yellow'] } }, ['a', 'b']],
  ['$ne on an array: no element equals', { tags: { $ne: 'red' } }, ['b', 'c', 'd']],
  ['$nin on an array: no element listed', { tags: { $nin: ['red', 'green'] } }, ['b', 'c', 'd']],
  ['a whole array', { tags: ['red', 'fruit'] }, ['a']],
  ['an empty array', { tags: [] }, ['c']],
  ['$in listing an empty array', { tags: { $in: [[], 'red'] } }, ['a', 'c']],
  ['$nin listing an empty array', { tags: { $nin: [[]] } }, ['a', 'b', 'd']],
  ['null: null or missing', { z: null }, ['a', 'b', 'd']],
  ['$eq null', { z: { $eq: null } }, ['a', 'b', 'd']],
  ['$ne null: present and not null', { z: { $ne: null } }, ['c']],
  ['$in with null', { z: { $in: [null, 'other'] } }, ['a', 'b', 'd']],
  ['$nin with null', { z: { $nin: [null] } }, ['c']],
  ['null on a dotted path', { 'o.c': null }, ['b', 'c']],
  ['an undefined condition, which is ignored', { s: 'Apple', n: undefined }, ['a']],
];

export function filters(context: ContractContext): void {
  describe('filters', () => {
    let items: Collection;
    beforeAll(async () => {
      items = context.freshCollection();
      await items.insertMany(fruit);
    });

    it.each(cases)('matches %s', async (_label, filter, expected) => {
      expect(await idsOf(items, filter)).toEqual(expected);
      expect(await items.countDocuments(filter)).toBe(expected.length);
    });

    it.each<[string, Filter, RegExp]>([
      ['an operator outside the port', { tags: { $size: 2 } }, /\$size on tags is not part of the store port/],
      ['a logical operator outside the port', { $not: { n: 1 } } as Filter, /\$not is not part of the store port/],
      ['an empty $nor', { $nor: [] }, /\$nor needs a non-empty list/],
      ['an empty $or', { $or: [] }, /\$or needs a non-empty list/],
      ['$in without a list', { n: { $in: 1 } }, /\$in on n needs a list/],
      ['a RegExp inside $in', { s: { $in: [/a/] } }, /cannot hold a RegExp/],
      ['a non-portable RegExp flag', { s: /a/g }, /flags "g" on s are not portable/],
      ['$regex given a string', { s: { $regex: 'a' } }, /\$regex on s needs a RegExp/],
    ])('refuses %s', async (_label, filter, message) => {
      await expect(items.find(filter)).rejects.toThrow(message);
      await expect(items.countDocuments(filter)).rejects.toThrow(message);
    });
  });
}
