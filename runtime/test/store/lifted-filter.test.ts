import { describe, expect, it } from 'vitest';
import { liftedFilter } from '@lockstep/store';

describe('the lifted filter the mongodb adapter sends', () => {
  it('lifts the clauses of nested $ands to the top level, where FerretDB pushes them down', () => {
    expect(liftedFilter({ $and: [{ sys_class_name: 'incident', deleted: { $ne: true } }, { $and: [{ _id: 'a' }] }] })).toEqual({ sys_class_name: 'incident', deleted: { $ne: true }, _id: 'a' });
  });

  it('keeps clauses on a field already lifted, and a second $or, in an $and', () => {
    const first = [{ a: 1 }, { b: 1 }];
    const second = [{ c: 1 }, { d: 1 }];
    expect(liftedFilter({ status: 'ready', $or: first, $and: [{ status: { $ne: 'x' } }, { $or: second }] })).toEqual({ status: 'ready', $or: first, $and: [{ status: { $ne: 'x' } }, { $or: second }] });
  });

  it('leaves out undefined conditions, which match everything, and filters without $and as they are', () => {
    const plain = { status: 'ready', n: { $gt: 1 } };
    expect(liftedFilter(plain)).toBe(plain);
    expect(liftedFilter({ $and: [{ a: undefined, b: 1 }, { a: 2 }] })).toEqual({ b: 1, a: 2 });
  });
});
