import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentStore } from '@lockstep/store';
import { mongodbAdapter, serverIsFerretDb } from './adapters.js';

/*
 * On FerretDB, a write to every match goes as one write to each match, under
 * that document's lock, so the queues' timed recovery of lapsed claims no
 * longer has the collection to itself each second; and when nothing matches,
 * nothing is written, so copies held of the collection (ReadCache) stay good.
 * MongoDB writes them in one command, concurrently with the rest.
 */
const adapter = mongodbAdapter();

describe.skipIf(adapter.skipReason !== undefined)(`updateMany and deleteMany on the mongodb adapter${adapter.skipReason ? ` — ${adapter.skipReason}` : ''}`, () => {
  let store: DocumentStore;
  beforeAll(async () => {
    store = await adapter.open();
  });
  afterAll(async () => {
    await store?.close();
    await adapter.dispose();
  });

  it('writes nothing when nothing matches, and each match once, its filter checked again', async () => {
    const items = store.collection('claimed_items');
    await items.insertMany([
      { _id: 'lapsed-1', status: 'processing', lease_until: 10 },
      { _id: 'lapsed-2', status: 'processing', lease_until: 20 },
      { _id: 'held', status: 'processing', lease_until: 5_000 },
      { _id: 'done', status: 'processed', lease_until: 0 },
    ]);
    const writesBefore = store.writeCount('claimed_items');
    const none = await items.updateMany({ status: 'processing', lease_until: { $lt: 1 } }, { $set: { status: 'ready' } });
    expect(none).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
    // One command on MongoDB, which counts as one write; on FerretDB none was made.
    expect(store.writeCount('claimed_items') - writesBefore).toBe((await serverIsFerretDb()) ? 0 : 1);

    const lapsed = await items.updateMany({ status: 'processing', lease_until: { $lt: 1_000 } }, { $set: { status: 'ready' }, $unset: { lease_until: true } });
    expect(lapsed).toEqual({ matchedCount: 2, modifiedCount: 2, upsertedId: null });
    expect((await items.find({}, { sort: { _id: 1 } })).map(({ _id, status }) => `${_id} ${String(status)}`)).toEqual(['done processed', 'held processing', 'lapsed-1 ready', 'lapsed-2 ready']);

    expect(await items.deleteMany({ _id: { $in: ['lapsed-1', 'held', 'missing'] }, status: 'ready' })).toBe(1);
    expect(await items.deleteMany({ status: 'gone' })).toBe(0);
    expect((await items.find({}, { sort: { _id: 1 } })).map(({ _id }) => _id)).toEqual(['done', 'held', 'lapsed-2']);
  });
});
