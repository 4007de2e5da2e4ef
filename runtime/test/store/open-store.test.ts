import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore } from '@lockstep/store';
import { uniqueDatabaseName } from './adapters.js';

describe('openStore', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'lockstep-open-store-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('opens the embedded store in the data directory when no MongoDB URI is given', async () => {
    const dataDir = path.join(root, 'data');
    const store = await openStore({ dataDir });
    try {
      expect(store.kind).toBe('embedded');
      expect(store.location).toBe(dataDir);
    } finally {
      await store.close();
    }
  });

  const uri = inject('mongodbUri');
  describe.skipIf(uri === null)(uri === null ? `with MongoDB skipped: ${inject('mongodbSource')}` : 'with a MongoDB URI', () => {
    const mongodbUri = uri ?? '';
    const databaseName = uniqueDatabaseName();
    afterAll(async () => {
      const client = await MongoClient.connect(mongodbUri);
      await client.db(databaseName).dropDatabase();
      await client.close();
    });

    it('opens MongoDB instead, in the database named by the option before the one in the URI', async () => {
      const dataDir = path.join(root, 'unused');
      const store = await openStore({ dataDir, mongodbUri: withDatabase(mongodbUri, 'not_this_one'), databaseName });
      try {
        expect(store.kind).toBe('mongodb');
        expect(store.location).toMatch(new RegExp(`^mongodb(\\+srv)?://[^@]+/${databaseName}$`));
        expect(existsSync(dataDir)).toBe(false);
        await expect(store.ping()).resolves.toBeUndefined();
      } finally {
        await store.close();
      }
    });

    it("uses the URI's database when no option names one", async () => {
      const named = await openStore({ dataDir: root, mongodbUri, databaseName });
      await named.collection('marker').insertOne({ _id: 'here' });
      await named.close();

      const store = await openStore({ dataDir: root, mongodbUri: withDatabase(mongodbUri, databaseName) });
      try {
        expect(store.location.endsWith(`/${databaseName}`)).toBe(true);
        expect(await store.collection('marker').findOne({ _id: 'here' })).toEqual({ _id: 'here' });
      } finally {
        await store.close();
      }
    });
  });
});

/** The same server and options, with another database in the path. */
function withDatabase(uri: string, databaseName: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]*)\/?[^?]*/, `$1/${databaseName}`);
}
