import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Db, type Document, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DemoApi } from '../../src/demo/api.js';
import { configureDemo } from '../../src/demo/configure.js';
import { sentFilter, type StoreOperation } from '@lockstep/store';
import { ADMIN, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { until } from '../support/until.js';
import { uniqueDatabaseName } from './adapters.js';
import { operationShape } from './query-shape.js';

const uri = inject('mongodbUri');
const QUERIES_DOC = new URL('../../../packages/store/src/QUERIES.md', import.meta.url);

/** The collections the queue workers and the waker scan on their own timers. */
const TIMED_SCANS = ['sync_outbound_queue', 'sync_inbound_queue', 'sys_flow_context'];

interface Side {
  name: 'A' | 'B';
  runtime: TestRuntime;
  database: string;
}

interface Heard {
  side: Side;
  operation: StoreOperation;
}

/**
 * Why the server reads more than this operation needs: the whole collection,
 * or, for a window (a sort and a limit), every match to sort them. Null when
 * an index serves it.
 */
async function readsTooMuch(db: Db, { collection, filter = {}, sort, limit = 0 }: StoreOperation, ferretDb: boolean): Promise<string | null> {
  // A collection never written reads nothing (a counter kept the old way, looked for once): FerretDB explains no pushdown there.
  if ((await db.listCollections({ name: collection }, { nameOnly: true }).toArray()).length === 0) return null;
  // As the adapter sends it (MongoDbCollection), explained as the find that selects what the operation reads.
  const sent = sentFilter(filter, ferretDb);
  const explained: Document = await db.command({ explain: { find: collection, filter: sent, ...(sort && { sort }), ...(limit > 0 && { limit }) } });
  const window = sort !== undefined && limit > 1;
  if (typeof explained.serverInfo?.ferretdbVersion !== 'string') {
    const plan = JSON.stringify(explained.queryPlanner?.winningPlan ?? {});
    if (plan.includes('"COLLSCAN"')) return 'the plan is a COLLSCAN';
    return window && plan.includes('"SORT"') ? 'the plan sorts every match in memory' : null;
  }
  // FerretDB v1 filters in PostgreSQL only what it pushes down (top-level equalities); the rest it reads whole.
  if (explained.filterPushdown !== true) return `FerretDB pushes no part of the filter down, so it reads every document (its SQL: ${JSON.stringify(explained.queryPlanner?.Plan?.Filter ?? 'none')})`;
  // The index MongoDB would use is checked here; the test cluster gives FerretDB's btrees the GIN twins PostgreSQL reads its @> filters through (containment-indexes.sql).
  const keys = (await db.collection(collection).indexes()).map((index) => Object.keys(index.key));
  const selective = Object.entries(sent).filter(([path, condition]) => !path.startsWith('$') && selects(condition)).map(([path]) => path);
  if (!keys.some(([first]) => selective.includes(first ?? ''))) return `no index starts with a field it selects by (${selective.join(', ') || 'none'}), so MongoDB would scan the collection`;
  const [sortedBy] = Object.keys(sort ?? {});
  const equal = (path: string) => selective.includes(path) && !isOperator(sent[path]);
  const walked = keys.some((fields) => fields.indexOf(sortedBy ?? '') > 0 && fields.slice(0, fields.indexOf(sortedBy ?? '')).every(equal));
  return window && !walked ? `no index orders its matches by ${sortedBy}, so MongoDB would read every match to sort them` : null;
}

function isOperator(condition: unknown): boolean {
  return typeof condition === 'object' && condition !== null && !(condition instanceof Date) && !(condition instanceof RegExp) && Object.keys(condition).every((key) => key.startsWith('$'));
}

/** An equality, a range or a list: what bounds a walk of an index on the field. */
function selects(condition: unknown): boolean {
  if (condition === null || typeof condition !== 'object' || condition instanceof Date || condition instanceof RegExp) return condition !== undefined;
  return Object.keys(condition).some((operator) => ['$eq', '$in', '$lt', '$lte', '$gt', '$gte'].includes(operator));
}

/*
 * Every store operation two runtimes make for changes sent A → B, on the
 * mongodb adapter: each one's filter must be one the server answers without
 * reading the whole collection (on FerretDB: pushed down, and starting an
 * index MongoDB would use; on MongoDB: no COLLSCAN), a window's sort must be
 * an index's order, and each must be listed in packages/store/src/QUERIES.md,
 * which says what they are and why.
 */
describe.skipIf(uri === null)(`the store operations of a change sent A → B on the mongodb adapter${uri === null ? ` — skipped: ${inject('mongodbSource')}` : ''}`, () => {
  const sides: Side[] = [];
  let client: MongoClient;
  let agent: DemoApi;
  let ferretDb = false;

  beforeAll(async () => {
    client = await MongoClient.connect(uri ?? '', { ignoreUndefined: true });
    ferretDb = typeof (await client.db('admin').command({ buildInfo: 1 })).ferretdbVersion === 'string';
    // Counted operations are what the runtimes' stores tell their listeners of.
    vi.stubEnv('LOCKSTEP_COUNT_STORE_OPS', '1');
    try {
      for (const [name, instance] of [['A', 'consumer'], ['B', 'provider']] as const) {
        const database = uniqueDatabaseName();
        const runtime = await startTestRuntime({ name: instance, 'mongodb-uri': uri ?? '', 'db-name': database, 'outbound-allow': '127.0.0.1' });
        sides.push({ name, runtime, database });
      }
    } finally {
      vi.unstubAllEnvs();
    }
    const [a, b] = sides as [Side, Side];
    const agentPassword = randomBytes(12).toString('base64url');
    await configureDemo(new DemoApi('consumer', a.runtime.url, ADMIN.user, ADMIN.password), new DemoApi('provider', b.runtime.url, ADMIN.user, ADMIN.password), agentPassword);
    agent = new DemoApi('consumer', a.runtime.url, 'agent', agentPassword);
  });
  afterAll(async () => {
    await Promise.all(sides.map(({ runtime }) => runtime.dispose()));
    await client?.close();
  });

  it('reads no collection whole nor sorts a window in memory, and each is in QUERIES.md', { timeout: 120_000 }, async () => {
    const heard: Heard[] = [];
    const stops = sides.map((side) => side.runtime.store.onOperation((operation) => heard.push({ side, operation })));
    try {
      const { body } = await agent.call('POST', '/api/now/table/incident', { short_description: 'Explained', priority: '2' });
      const incident = body.result.sys_id as string;
      await agent.call('PATCH', `/api/now/table/incident/${incident}`, { state: '2' });
      await agent.call('PATCH', `/api/now/table/incident/${incident}`, { comments: 'Looked at' });
      const onB = client.db(sides[1]!.database).collection('sync_inbound_queue');
      await until(async () => (await onB.countDocuments({ status: 'processed' })) === 3, 'B applied the three changes', 60_000);
      // The workers' timed scans come every second, or every few while they find nothing: heard once on each side.
      const scanned = (side: Side, collection: string) =>
        heard.some(({ side: by, operation }) => by === side && operation.collection === collection && operation.kind === 'find' && operation.sort !== undefined && (operation.limit ?? 0) > 1);
      await until(async () => sides.every((side) => TIMED_SCANS.every((collection) => scanned(side, collection))), 'every worker on both sides scanned its queue', 30_000);
    } finally {
      for (const stop of stops) stop();
    }

    const distinct = new Map<string, Heard>();
    for (const one of heard) distinct.set(`${one.side.name} ${operationShape(one.operation)}`, one);
    const scans: string[] = [];
    for (const [label, { side, operation }] of distinct) {
      if (operation.filter === undefined) continue;
      const why = await readsTooMuch(client.db(side.database), operation, ferretDb);
      if (why !== null) scans.push(`${label}: ${why}`);
    }
    expect(scans, 'operations that read more than they return').toEqual([]);

    const doc = await readFile(QUERIES_DOC, 'utf8');
    const unlisted = [...new Set([...distinct.values()].map(({ operation }) => operationShape(operation)))].filter((shape) => !doc.includes(`\`${shape}\``));
    expect(unlisted, 'operations missing from packages/store/src/QUERIES.md: list each there, in backticks, with what makes it and how often').toEqual([]);
  });
});
