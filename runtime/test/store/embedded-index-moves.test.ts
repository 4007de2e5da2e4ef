import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateKeyError, openEmbeddedStore, type Collection, type DocumentStore } from '@lockstep/store';

interface Item {
  _id: string;
  kind: string;
  status: string;
  number: string;
  note?: string;
}

/*
 * The embedded store moves a document in an index only where its key
 * changed (embedded-index-moves.ts): every index must still find each
 * document's latest version, by keys many documents share, and a write
 * refused on a unique key must leave every index as it was.
 */
describe('embedded store indexes after updates', () => {
  let root: string;
  let store: DocumentStore;
  let items: Collection<Item>;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lockstep-index-moves-'));
    store = await openEmbeddedStore({ dataDir: root });
    items = store.collection<Item>('items');
    await items.createIndex({ fields: ['kind'] });
    await items.createIndex({ fields: ['status', 'number'], ordered: true });
    await items.createIndex({ fields: ['number'], unique: true });
    await items.insertMany(Array.from({ length: 40 }, (_, n) => ({ _id: `i${n}`, kind: 'incident', status: 'ready', number: `INC${n}` })));
  });
  afterEach(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  const ids = (found: Item[]) => found.map((item) => item._id).sort();

  it('finds the latest version by a key it kept and by one it changed, as after a restart', async () => {
    for (let n = 0; n < 40; n++) await items.updateOne({ _id: `i${n}` }, { $set: { note: `seen ${n}`, ...(n % 2 === 0 && { status: 'processing' }) } });
    await items.updateMany({ status: 'processing', number: { $in: ['INC0', 'INC2'] } }, { $set: { status: 'done' } });
    const check = async (collection: Collection<Item>) => {
      const byKind = await collection.find({ kind: 'incident' });
      expect(byKind).toHaveLength(40);
      expect(byKind.every((item) => item.note === `seen ${item._id.slice(1)}`)).toBe(true);
      expect(ids(await collection.find({ status: 'ready' }))).toEqual(ids(byKind.filter((item) => Number(item._id.slice(1)) % 2 === 1)));
      expect(ids(await collection.find({ status: 'done' }))).toEqual(['i0', 'i2']);
      expect(await collection.find({ status: 'processing' })).toHaveLength(18);
      expect((await collection.findOne({ number: 'INC7' }))?.note).toBe('seen 7');
    };
    await check(items);
    await store.close();
    store = await openEmbeddedStore({ dataDir: root });
    await check(store.collection<Item>('items'));
  });

  it('leaves every index as it was when an update breaks a unique key', async () => {
    await items.updateOne({ _id: 'i1' }, { $set: { status: 'processing' } });
    await expect(items.updateMany({ _id: { $in: ['i1', 'i3'] } }, { $set: { number: 'INC5', status: 'done' } })).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(await items.findOne({ number: 'INC5' })).toMatchObject({ _id: 'i5' });
    expect(await items.findOne({ number: 'INC1' })).toMatchObject({ _id: 'i1', status: 'processing' });
    expect(await items.find({ status: 'done' })).toEqual([]);
    expect(ids(await items.find({ status: 'processing' }))).toEqual(['i1']);
    expect(await items.find({ kind: 'incident' })).toHaveLength(40);
  });

  it('forgets a deleted document in every index', async () => {
    await items.updateOne({ _id: 'i4' }, { $set: { status: 'done', note: 'moved' } });
    await items.deleteOne({ _id: 'i4' });
    expect(await items.find({ status: 'done' })).toEqual([]);
    expect(await items.findOne({ number: 'INC4' })).toBeNull();
    expect(await items.find({ kind: 'incident' })).toHaveLength(39);
  });
});
