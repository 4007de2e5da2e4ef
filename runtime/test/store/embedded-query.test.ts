import { describe, expect, it } from 'vitest';
import { toNedbQuery } from '@lockstep/store';

/* How filters reach NeDB. What they match is the contract suite's business; here, that NeDB can use its indexes for them. */
describe('embedded queries', () => {
  it('splices an $and into the top level, where NeDB looks for an index', () => {
    expect(toNedbQuery({ $and: [{ sys_class_name: 'incident' }, { $and: [{ _id: 'x' }] }] })).toEqual({ sys_class_name: 'incident', _id: 'x' });
  });

  it('puts _id last, since NeDB answers from the last indexed field it finds', () => {
    const query = toNedbQuery({ _id: 'x', status: 'ready', n: { $ne: 1 } });
    expect(Object.keys(query)).toEqual(['status', '$and', '_id']);
    expect(query).toEqual({ status: 'ready', $and: [{ $not: { n: 1 } }], _id: 'x' });
  });

  it('keeps clashing clauses on one field, each in the $and', () => {
    expect(toNedbQuery({ $and: [{ n: { $gt: 1 } }, { n: { $lt: 5 } }] })).toEqual({ n: { $gt: 1 }, $and: [{ n: { $lt: 5 } }] });
  });
});
