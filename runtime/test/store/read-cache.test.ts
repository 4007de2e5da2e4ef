import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore, ReadCache, type DocumentStore } from '@lockstep/store';

describe('a read cache', () => {
  let root: string;
  let store: DocumentStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lockstep-read-cache-'));
    store = await openEmbeddedStore({ dataDir: root });
  });
  afterEach(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  it('answers from memory until this process writes the collection, through any code', async () => {
    const systems = store.collection('systems');
    await systems.insertOne({ _id: 's', state: 'active' });
    const cache = new ReadCache(store, 60_000);
    let loads = 0;
    const state = () =>
      cache.read('s', ['systems'], async () => {
        loads += 1;
        return (await systems.findOne({ _id: 's' }))?.state;
      });
    expect(await Promise.all([state(), state()])).toEqual(['active', 'active']);
    expect(await state()).toBe('active');
    expect(loads).toBe(1);

    await store.collection('unrelated').insertOne({ n: 1 });
    expect(await state()).toBe('active');
    expect(loads).toBe(1);

    await store.collection('systems').updateOne({ _id: 's' }, { $set: { state: 'error' } });
    expect(await state()).toBe('error');
    expect(loads).toBe(2);
  });

  it('answers what it was told it knows, unread, until its collections are written, and peeks without reading', async () => {
    const cache = new ReadCache(store, 0);
    let loads = 0;
    const attachments = () =>
      cache.read('incident:new', ['attachments'], async () => {
        loads += 1;
        return (await store.collection('attachments').find({ record: 'new' })).map((attachment) => attachment._id);
      });
    expect(cache.peek('incident:new', ['attachments'])).toBeUndefined();
    cache.know('incident:new', ['attachments'], []);
    expect(await cache.peek('incident:new', ['attachments'])).toEqual([]);
    expect(await attachments()).toEqual([]);
    expect(loads).toBe(0);

    await store.collection('attachments').insertOne({ _id: 'a1', record: 'new' });
    expect(cache.peek('incident:new', ['attachments'])).toBeUndefined();
    expect(await attachments()).toEqual(['a1']);
    expect(loads).toBe(1);
  });

  it('keeps, over writes made through it, the answers they cannot change, even when they overlap, unless a write came elsewhere', async () => {
    const links = store.collection('links');
    const cache = new ReadCache(store, 60_000);
    const loads: string[] = [];
    const link = (record: string) =>
      cache.read(record, ['links'], async () => {
        loads.push(record);
        return (await links.findOne({ record }))?._id ?? null;
      });
    expect([await link('a'), await link('b'), await link('d')]).toEqual([null, null, null]);
    await cache.writing('links', () => links.insertOne({ _id: 'link-a', record: 'a' }), { changes: () => ['a'] });
    expect([await link('a'), await link('b')]).toEqual(['link-a', null]);
    expect(loads).toEqual(['a', 'b', 'd', 'a']);

    // One it tells is held as told.
    await cache.writing('links', () => links.insertOne({ _id: 'link-d', record: 'd' }), { changes: () => ['d'], answers: (inserted) => [['d', inserted._id]] });
    expect([await link('a'), await link('d')]).toEqual(['link-a', 'link-d']);
    expect(loads).toEqual(['a', 'b', 'd', 'a']);

    // Two at once, each through it: each lets go of its own, the others stay, and what each tells is held once both ended.
    expect(await link('e')).toBeNull();
    await Promise.all(
      ['e', 'f'].map((record) => cache.writing('links', () => links.insertOne({ _id: `link-${record}`, record }), { changes: () => [record], answers: (inserted) => [[record, inserted._id]] })),
    );
    expect([await link('a'), await link('b'), await link('e'), await link('f')]).toEqual(['link-a', null, 'link-e', 'link-f']);
    expect(loads).toEqual(['a', 'b', 'd', 'a', 'e']);

    // A read while a write that changes it is under way: its answer goes when the write ends.
    let written!: () => void;
    const writingG = cache.writing('links', () => new Promise<void>((resolve) => (written = resolve)).then(() => links.insertOne({ _id: 'link-g', record: 'g' })), { changes: () => ['g'] });
    expect(await link('g')).toBeNull();
    written();
    await writingG;
    expect(await link('g')).toBe('link-g');

    // A write made elsewhere, or two made as one: all go.
    const both = () => Promise.all([links.insertOne({ _id: 'link-c', record: 'c' }), links.insertOne({ _id: 'link-b', record: 'b' })]);
    await cache.writing('links', both, { changes: () => ['c'], answers: () => [['c', 'link-c']] });
    expect(await link('b')).toBe('link-b');
    expect(await link('c')).toBe('link-c');
    expect(loads).toEqual(['a', 'b', 'd', 'a', 'e', 'g', 'g', 'b', 'c']);
  });

  it('lets the answer used longest ago go beyond its bound, and keeps the others', async () => {
    const cache = new ReadCache(store, 60_000, 2);
    const loads: string[] = [];
    const answer = (key: string) =>
      cache.read(key, ['records'], async () => {
        loads.push(key);
        return key.toUpperCase();
      });
    expect([await answer('a'), await answer('b'), await answer('a')]).toEqual(['A', 'B', 'A']);
    // Over the bound: b, used longest ago, goes; a, used since, stays.
    expect(await answer('c')).toBe('C');
    expect([await answer('a'), await answer('c'), await answer('b')]).toEqual(['A', 'C', 'B']);
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('does not keep a read that failed', async () => {
    const cache = new ReadCache(store, 60_000);
    await expect(cache.read('k', ['systems'], () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await cache.read('k', ['systems'], async () => 'read again')).toBe('read again');
  });
});
