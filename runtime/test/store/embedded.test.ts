import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/embedded.js';

/* What only the embedded adapter has: files on disk. The shared behaviour is in contract.test.ts. */
describe('embedded store files', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lockstep-embedded-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const lines = async (file: string): Promise<string[]> => (await readFile(file, 'utf8')).split('\n').filter(Boolean);

  it('creates a missing data directory and names it as its location', async () => {
    const dataDir = path.join(root, 'not', 'there', 'yet');
    const store = await openEmbeddedStore({ dataDir });
    try {
      expect(existsSync(dataDir)).toBe(true);
      expect(store.location).toBe(dataDir);
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('keeps one <collection>.db file per collection, created on first use', async () => {
    const store = await openEmbeddedStore({ dataDir: root });
    try {
      const users = store.collection('sys_user');
      store.collection('never_used');
      expect(await readdir(root)).toEqual([]);
      await users.insertOne({ name: 'ann' });
      await store.collection('sys_number').countDocuments({});
      expect((await readdir(root)).sort()).toEqual(['sys_number.db', 'sys_user.db']);
    } finally {
      await store.close();
    }
  });

  it('compacts a datafile when it loads it', async () => {
    const file = path.join(root, 'queue.db');
    await writeFile(
      file,
      [
        '{"_id":"a","status":"Ready"}',
        '{"_id":"b","status":"Ready"}',
        '{"_id":"a","status":"Claimed"}',
        '{"_id":"a","status":"Done"}',
        '{"$$deleted":true,"_id":"b"}',
      ].join('\n') + '\n',
    );
    const store = await openEmbeddedStore({ dataDir: root });
    try {
      expect(await store.collection('queue').find({})).toEqual([{ _id: 'a', status: 'Done' }]);
      expect(await lines(file)).toEqual(['{"_id":"a","status":"Done"}']);
    } finally {
      await store.close();
    }
  });

  it('finishes the writes in flight before close returns', async () => {
    const store = await openEmbeddedStore({ dataDir: root });
    const items = store.collection('items');
    const writes = Promise.all(Array.from({ length: 30 }, (_, index) => items.insertOne({ _id: `i${index}` })));
    await store.close();

    // Read the file back before looking at the writes' promises: it must already hold them all.
    const reopened = await openEmbeddedStore({ dataDir: root });
    try {
      expect(await reopened.collection('items').countDocuments({})).toBe(30);
    } finally {
      await reopened.close();
    }
    await expect(writes).resolves.toHaveLength(30);
  });

  it('refuses to work once closed', async () => {
    const store = await openEmbeddedStore({ dataDir: root });
    const items = store.collection('items');
    await items.insertOne({ n: 1 });
    await store.close();
    await expect(items.countDocuments({})).rejects.toThrow(/closed/);
    await expect(store.collection('other').insertOne({ n: 1 })).rejects.toThrow(/closed/);
    await expect(store.ping()).rejects.toThrow(/closed/);
  });

  it('fails its ping when the data directory is gone', async () => {
    const dataDir = path.join(root, 'data');
    const store = await openEmbeddedStore({ dataDir });
    try {
      await rm(dataDir, { recursive: true });
      await expect(store.ping()).rejects.toThrow(/ENOENT/);
    } finally {
      await store.close();
    }
  });
});
