import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StoredDocument } from '@lockstep/store';
import { until } from '../support/until.js';
import { openHeard, type HeardStore } from './heard-store.js';
import { mongodbAdapter, serverIsFerretDb } from './adapters.js';

interface Case extends StoredDocument {
  state: string;
  count: number;
  tags: string[];
  opened_at?: Date;
}


const COLLECTION = 'cached_case';

/*
 * On FerretDB, a process that writes its database alone holds the documents
 * it reads and writes by `_id` (DocumentCache): a look-up by `_id` is then
 * answered from memory, exactly as the server would answer it, and once
 * another process uses the database, from the server again.
 */
const uri = inject('mongodbUri');
describe.skipIf(uri === null)('documents held by _id while a process writes its FerretDB database alone', () => {
  const adapter = mongodbAdapter();
  const opened: HeardStore[] = [];
  let client: MongoClient;
  let ferretDb = false;
  const open = (): Promise<HeardStore> => openHeard(adapter, opened);
  /** What the server holds, read past the adapter. */
  const onServer = async (id: string): Promise<Case | null> => {
    const store = opened[0]!.store;
    const databaseName = store.location.split('/').at(-1)!;
    return client.db(databaseName).collection<Case>(COLLECTION).findOne({ _id: id });
  };
  /** The answer of `read`, and whether it went to the server. */
  const answered = async (heard: HeardStore, read: () => Promise<Case | null>): Promise<{ answer: Case | null; roundTrip: boolean }> => {
    const from = heard.operations.length;
    const answer = await read();
    return { answer, roundTrip: heard.operations.slice(from).some(({ collection, kind }) => kind === 'find' && !collection.startsWith('store_')) };
  };
  beforeAll(async () => {
    ferretDb = await serverIsFerretDb();
    client = await MongoClient.connect(uri!);
  });
  afterAll(async () => {
    await Promise.all(opened.map(({ store }) => store.close()));
    await adapter.dispose();
    await client.close();
  });

  it('answers look-ups by _id from what it wrote, as the server does, with no round trip', async (context) => {
    if (!ferretDb) context.skip('held only on FerretDB, while a process holds it alone');
    const first = await open();
    await until(async () => first.store.aloneSince() !== undefined, 'the process holds the database alone');
    const cases = first.store.collection<Case>(COLLECTION);
    // A collection's documents are held as written where they are looked up by _id often enough.
    expect(await cases.findOne({ _id: 'missing' })).toBeNull();
    await cases.insertOne({ _id: 'c', state: 'new', count: 1, tags: ['a'], opened_at: new Date('2026-12-01T10:00:00Z') });

    const inserted = await answered(first, () => cases.findOne({ _id: 'c' }));
    expect(inserted).toEqual({ answer: await onServer('c'), roundTrip: false });
    expect(inserted.answer?.opened_at).toBeInstanceOf(Date);

    await cases.updateOne({ _id: 'c' }, { $set: { state: 'open' }, $inc: { count: 1 }, $push: { tags: 'b' } });
    const updated = await answered(first, () => cases.findOne({ $and: [{ state: 'open' }, { _id: 'c' }] }));
    expect(updated).toEqual({ answer: await onServer('c'), roundTrip: false });
    expect(updated.answer).toMatchObject({ state: 'open', count: 2, tags: ['a', 'b'] });

    await cases.findOneAndUpdate({ _id: 'c', state: 'open' }, { $pull: { tags: 'a' }, $unset: { opened_at: '' } });
    expect(await answered(first, () => cases.findOne({ _id: 'c' }))).toEqual({ answer: await onServer('c'), roundTrip: false });
    // Conditions beside the _id are matched against the copy: one that does not hold finds nothing, as on the server.
    expect(await answered(first, () => cases.findOne({ _id: 'c', state: { $ne: 'open' } }))).toEqual({ answer: null, roundTrip: false });

    // Every caller gets a copy of its own.
    const mine = await cases.findOne({ _id: 'c' });
    mine!.tags.push('changed by a caller');
    expect(await cases.findOne({ _id: 'c' })).toEqual(await onServer('c'));
  });

  it('reads again after a write that may reach any document, and after a failed write', async (context) => {
    if (!ferretDb) context.skip('held only on FerretDB, while a process holds it alone');
    const [first] = opened;
    const cases = first!.store.collection<Case>(COLLECTION);
    await cases.updateMany({ state: 'open' }, { $set: { state: 'closed' } });
    expect(await answered(first!, () => cases.findOne({ _id: 'c' }))).toEqual({ answer: await onServer('c'), roundTrip: true });
    expect((await onServer('c'))?.state).toBe('closed');

    // Where documents are written many times for each look-up (a flow context, a queue item), they are not held as written.
    const runs = first!.store.collection<Case>('cached_run');
    expect(await runs.findOne({ _id: 'run-0' })).toBeNull();
    for (let run = 0; run < 8; run++) await runs.insertOne({ _id: `run-${run}`, state: 'ended', count: run, tags: [] });
    expect((await answered(first!, () => runs.findOne({ _id: 'run-7' }))).roundTrip).toBe(true);

    await cases.createIndex({ fields: ['state'], unique: true });
    await cases.insertOne({ _id: 'd', state: 'new', count: 0, tags: [] });
    await expect(cases.updateOne({ _id: 'd' }, { $set: { state: 'closed' } })).rejects.toThrow();
    expect(await answered(first!, () => cases.findOne({ _id: 'd' }))).toEqual({ answer: await onServer('d'), roundTrip: true });
  });

  it('reads from the server once another process uses the database, and sees its writes', async (context) => {
    if (!ferretDb) context.skip('held only on FerretDB, while a process holds it alone');
    const [first] = opened;
    const cases = first!.store.collection<Case>(COLLECTION);
    expect(await answered(first!, () => cases.findOne({ _id: 'c' }))).toMatchObject({ roundTrip: false });
    const second = await open();
    await second.store.collection<Case>(COLLECTION).updateOne({ _id: 'c' }, { $set: { state: 'reopened' } });
    expect(await answered(first!, () => cases.findOne({ _id: 'c' }))).toEqual({ answer: expect.objectContaining({ state: 'reopened' }), roundTrip: true });
  });
});
