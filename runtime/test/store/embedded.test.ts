import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateKeyError, openEmbeddedStore } from '@lockstep/store';

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

  it('leaves a cleanly closed file as it is when it loads it, and reads the dates in it', async () => {
    const file = path.join(root, 'items.db');
    await writeFile(file, ['{"_id":"a","n":1}', '{"_id":"b","at":{"$$date":1796284800000}}', '{"$$indexCreated":{"fieldName":"n","unique":false,"sparse":false}}'].join('\n') + '\n');
    const before = await stat(file);
    const store = await openEmbeddedStore({ dataDir: root });
    try {
      expect(await store.collection('items').find({}, { sort: { _id: 1 } })).toEqual([{ _id: 'a', n: 1 }, { _id: 'b', at: new Date(1796284800000) }]);
      // A rewrite would have replaced the file (NeDB writes a new one and renames it), so it would be another inode.
      expect((await stat(file)).ino).toBe(before.ino);
    } finally {
      await store.close();
    }
  });

  it('loads a large file when it is first used, not when an index of it is declared, and makes the index then', async () => {
    // Over 1 MiB, with two documents that a unique index refuses: a small file would refuse the index at once.
    const filler = 'x'.repeat(500);
    const docs = Array.from({ length: 3_000 }, (_, index) => JSON.stringify({ _id: `d${index}`, code: index < 2 ? 'same' : `c${index}`, filler }));
    await writeFile(path.join(root, 'large.db'), docs.join('\n') + '\n');
    await writeFile(path.join(root, 'small.db'), docs.slice(0, 2).join('\n') + '\n');
    const store = await openEmbeddedStore({ dataDir: root });
    try {
      await expect(store.collection('small').createIndex({ fields: ['code'], unique: true })).rejects.toBeInstanceOf(DuplicateKeyError);
      const large = store.collection('large');
      await large.createIndex({ fields: ['code'], unique: true });
      await expect(large.countDocuments({})).rejects.toBeInstanceOf(DuplicateKeyError);
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

  it('answers a write only once its line is in the file, and lets writes made together share one append', async () => {
    const store = await openEmbeddedStore({ dataDir: root });
    try {
      const items = store.collection('items');
      const file = path.join(root, 'items.db');
      await items.insertOne({ _id: 'first' });
      expect((await lines(file)).map((line) => JSON.parse(line)._id)).toEqual(['first']);
      await Promise.all(Array.from({ length: 20 }, (_, index) => items.insertOne({ _id: `i${index}` })));
      expect(await lines(file)).toHaveLength(21);
      await items.updateOne({ _id: 'first' }, { $set: { seen: true } });
      expect(JSON.parse((await lines(file)).at(-1) ?? '{}')).toEqual({ _id: 'first', seen: true });
    } finally {
      await store.close();
    }
  });

  it('answers a read only once every write it could see is in the file', async () => {
    const store = await openEmbeddedStore({ dataDir: root });
    try {
      const items = store.collection('items');
      await items.insertOne({ _id: 'a', n: 0 });
      // Not awaited: memory holds it first, the file a little later. Whenever a read sees it, the file must have it.
      const written = items.updateOne({ _id: 'a' }, { $set: { n: 1 } });
      for (;;) {
        const [read] = await items.find({ _id: 'a' });
        if (read?.n === 0) continue;
        expect(read).toEqual({ _id: 'a', n: 1 });
        expect(JSON.parse((await lines(path.join(root, 'items.db'))).at(-1) ?? '{}')).toEqual({ _id: 'a', n: 1 });
        break;
      }
      await written;
    } finally {
      await store.close();
    }
  });

  it('appends to the compacted file after a close and a reopen, losing nothing', async () => {
    for (let round = 0; round < 3; round++) {
      const store = await openEmbeddedStore({ dataDir: root });
      try {
        await store.collection('items').insertOne({ _id: `r${round}` });
      } finally {
        await store.close();
      }
    }
    const store = await openEmbeddedStore({ dataDir: root });
    try {
      expect((await store.collection('items').find({}, { sort: { _id: 1 } })).map((item) => item._id)).toEqual(['r0', 'r1', 'r2']);
    } finally {
      await store.close();
    }
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
