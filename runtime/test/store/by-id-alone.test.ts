import { type Document, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { byIdAlone, type Filter } from '@lockstep/store';
import { uniqueDatabaseName } from './adapters.js';

const uri = inject('mongodbUri');

const documents: Document[] = [
  { _id: 'a', status: 'processing', n: 1, tags: ['x', 'y'], lease_until: null },
  { _id: 'b', status: 'ready', n: 2, tags: ['y'] },
  { _id: 'c', status: 'processing', n: 3, nested: { at: 5 }, lease_until: 10 },
];

/** Filters the runtime sends by `_id`, and ones byIdAlone must leave as they are or rewrite with care. */
const filters: Filter[] = [
  { _id: 'a', status: 'processing' },
  { _id: 'a', status: 'ready' },
  { _id: 'b', status: { $eq: 'ready' }, n: { $gt: 1 } },
  { _id: 'a', status: { $ne: 'ready' } },
  { _id: 'b', status: { $ne: 'ready' } },
  { _id: 'a', lease_until: null },
  { _id: 'b', lease_until: null },
  { _id: 'c', lease_until: null },
  { _id: 'a', tags: 'x' },
  { _id: 'b', tags: 'x' },
  { _id: 'c', 'nested.at': 5 },
  { _id: 'c', status: { $in: ['ready'], $ne: 'x' } },
  { _id: 'a', $or: [{ n: 1 }, { n: 2 }] },
  { _id: 'a', n: { $eq: 1, $lt: 5 } },
  // Compared with as a value by $eq, a pattern would match as one in an $in.
  { _id: 'a', status: { $eq: /^proc/ } },
];

/*
 * byIdAlone is what the mongodb adapter sends FerretDB beside an `_id`:
 * checked on the test run's server that it finds what the filter finds,
 * and, on FerretDB, that PostgreSQL is asked for the `_id` alone.
 */
describe.skipIf(uri === null)(`a look-up by _id as sent to the server${uri === null ? ` — skipped: ${inject('mongodbSource')}` : ''}`, () => {
  let client: MongoClient;
  const database = uniqueDatabaseName();

  beforeAll(async () => {
    client = await MongoClient.connect(uri ?? '');
    const items = client.db(database).collection<Document>('items');
    await items.createIndex({ status: 1 });
    await items.insertMany(documents);
  });
  afterAll(async () => {
    await client?.db(database).dropDatabase();
    await client?.close();
  });

  it('finds the same documents as the filter it came from', async () => {
    const items = client.db(database).collection<Document>('items');
    for (const filter of filters) {
      const ids = async (sent: Filter) => (await items.find(sent as Document).toArray()).map(({ _id }) => String(_id));
      expect(await ids(byIdAlone(filter)), JSON.stringify(filter)).toEqual(await ids(filter));
    }
  });

  it('leaves a filter without a plain _id as it is', () => {
    const byStatus = { status: 'ready', n: 1 };
    expect(byIdAlone(byStatus)).toBe(byStatus);
    const byIds = { _id: { $in: ['a', 'b'] }, status: 'ready' } as Filter;
    expect(byIdAlone(byIds)).toBe(byIds);
  });

  it('has FerretDB push down the _id alone', async (context) => {
    const explained: Document = await client.db(database).command({ explain: { find: 'items', filter: byIdAlone({ _id: 'a', status: 'processing', n: { $ne: 2 } }) } });
    if (typeof explained.serverInfo?.ferretdbVersion !== 'string') context.skip('the server is MongoDB, whose planner takes the _id index for either filter');
    expect(explained.filterPushdown).toBe(true);
    // FerretDB explains PostgreSQL's plan: its filter names the one field pushed down, and no other.
    const plan = JSON.stringify(explained.queryPlanner);
    expect(plan).toContain('_id');
    expect(plan).not.toMatch(/status|"n"/);
  });
});
