import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OperationCounts } from '@lockstep/store';
import { createIncidents, inParallel, interleavedUpdates, sendUpdate } from './support/incident-updates.js';
import { usePair } from './support/pair-suite.js';
import { until, type PairInstance } from './support/sync-pair.js';
import { queueCounts, queueItems, type ListedQueueItem } from './support/sync-queues.js';

const LABEL = 'Relay restart';
const RECORDS = 20;
/** Each record's insert and two updates. */
const CHANGES = RECORDS * 3;

/** What the test reads of an incident in the consumer's database: its outbox, as the record store keeps it. */
interface StoredIncident {
  _id: string;
  __outbox?: string[];
  __outbox_pending?: boolean;
}

const uri = inject('mongodbUri');
const source = inject('mongodbSource');
const skipped = uri === null ? ` — skipped: ${source}` : '';

/**
 * A relay killed after queueing its outboxes' intents, before clearing
 * them, leaves them for the next process's relay. Under a kill every 5 s,
 * three processes' relays met such intents all the time (each other's as
 * well as a killed one's), and queued each again: a duplicate key, then
 * the round's items one write each. A pass took longer than a process
 * lived, cleared nothing, and the next had more to move: the consumer
 * stopped queueing changes. Here the killed relay's state is made exactly
 * (A's intents put back in their outboxes, as it left them), and the
 * restarted process must clear it without writing the queue again.
 */
describe.skipIf(uri === null)(`a relay that meets intents a killed relay queued but did not clear, on one database (${source})${skipped}`, () => {
  // Sending paused: the store operations counted are the relay's and the start's.
  const pairOf = usePair('relay-restart', { kind: 'mongodb', uri: uri! }, ['--outbound-concurrency', '0'], { LOCKSTEP_COUNT_STORE_OPS: '1' });
  let client: MongoClient | undefined;
  beforeAll(async () => {
    client = await MongoClient.connect(uri!);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('clears them with no write to the outbound queue, and queues each change once', { timeout: 30_000 }, async () => {
    const { a } = pairOf();
    const incidents = await createIncidents(a, RECORDS, LABEL);
    await inParallel(interleavedUpdates(incidents, CHANGES - RECORDS, LABEL), 6, (update) => sendUpdate(a, update).then(() => undefined));
    const db = await databaseHolding(client!, incidents[0]!);
    await until(async () => (await queueCounts(a, 'outbound')).ready === CHANGES && (await pendingOutboxes(db)) === 0, `A has queued its ${CHANGES} changes`, 20_000);
    const queued = await queueItems(a, 'outbound');

    await a.stop('SIGKILL');
    await putBackInOutboxes(db, queued);
    await lapseSoleWriter(db);
    await a.start();
    await until(async () => (await pendingOutboxes(db)) === 0, "the restarted relay has cleared the killed one's outboxes", 20_000);

    const items = await queueItems(a, 'outbound');
    expect(items.map((item) => item.sys_id).sort(), 'the same items, each change once').toEqual(queued.map((item) => item.sys_id).sort());
    // Before the fix: each record's last intent, its key's last number, was queued again: a failing write of the
    // round, then one failing insert an item (21 here), and as many more for every other process relaying it.
    expect((await storeOperations(a)).insert, 'inserts since the restart').toBeLessThan(RECORDS / 2);
  });
});

/** The consumer's database: the one whose incidents include `sysId` (other pairs share the server). */
async function databaseHolding(client: MongoClient, sysId: string): Promise<Db> {
  const { databases } = await client.db().admin().listDatabases();
  for (const { name } of databases.filter((database) => database.name.endsWith('_consumer'))) {
    const db = client.db(name);
    if ((await db.collection<StoredIncident>('table_task').countDocuments({ _id: sysId })) > 0) return db;
  }
  throw new Error(`no consumer database holds incident ${sysId}`);
}

/**
 * The killed process's presence and sole hold, as they are once they have
 * lapsed (10 s after it died): the restarted process then holds the
 * database alone from its start, so the inserts counted are the relay's,
 * not the document leases it would take beside a presence still standing.
 */
async function lapseSoleWriter(db: Db): Promise<void> {
  await db.collection('store_process').deleteMany({});
  await db.collection('store_sole_writer').deleteMany({});
}

function pendingOutboxes(db: Db): Promise<number> {
  return db.collection<StoredIncident>('table_task').countDocuments({ __outbox_pending: true });
}

/**
 * Each record's outbox as a relay killed after queueing its updates left
 * it: their intents, oldest first, made again from their items. (Its
 * create's intent, cleared by an earlier pass, would cost a number's
 * insert by itself: a new record's first number is inserted unread.)
 */
async function putBackInOutboxes(db: Db, items: ListedQueueItem[]): Promise<void> {
  const byRecord = new Map<string, QueuedIntent[]>();
  for (const item of (items as QueuedIntent[]).filter((one) => one.operation !== 'insert')) byRecord.set(item.record.sys_id, [...(byRecord.get(item.record.sys_id) ?? []), item]);
  for (const [sysId, intents] of byRecord) {
    const outbox = intents
      .sort((one, other) => one.sequence - other.sequence)
      .map((item) =>
        JSON.stringify({ id: item.origin_intent, capture_definition: item.capture_definition, process_event: item.process_event, origin: null, captured_at: item.captured_at, captured: JSON.parse(item.payload_json) }),
      );
    await db.collection<StoredIncident>('table_task').updateOne({ _id: sysId }, { $set: { __outbox: outbox, __outbox_pending: true } });
  }
}

/** The fields of a listed outbound item that its intent is made again from. */
interface QueuedIntent extends ListedQueueItem {
  record: { sys_id: string };
  origin_intent: string;
  capture_definition: string;
  process_event: string;
  captured_at: number;
}

/** The instance's store operations since it started, by kind, from /health. */
async function storeOperations(instance: PairInstance): Promise<OperationCounts> {
  const health = (await (await fetch(`${instance.url}/health`)).json()) as { store: { operations?: OperationCounts } };
  if (!health.store.operations) throw new Error('the instance counts no store operations; start it with LOCKSTEP_COUNT_STORE_OPS=1');
  return health.store.operations;
}
