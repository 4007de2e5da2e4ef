import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { inject } from 'vitest';
import { openEmbeddedStore, openMongoStore, type DocumentStore, type StoreKind } from '@lockstep/store';

/** One adapter under test, with data of its own: a temporary directory, or a database. */
export interface StoreAdapter {
  name: StoreKind;
  /** Why this adapter's tests are skipped; undefined when they run. */
  skipReason: string | undefined;
  /** Opens a store on this adapter's data; each call opens a new store on the same data. */
  open(): Promise<DocumentStore>;
  /** Deletes the data. */
  dispose(): Promise<void>;
}

/** Both adapters, the mongodb one on the server the global setup found (or skipped, saying why). */
export function storeAdapters(): StoreAdapter[] {
  return [embeddedAdapter(), mongodbAdapter()];
}

export function embeddedAdapter(): StoreAdapter {
  let dataDir: Promise<string> | undefined;
  const directory = (): Promise<string> => (dataDir ??= mkdtemp(path.join(tmpdir(), 'lockstep-store-')));
  return {
    name: 'embedded',
    skipReason: undefined,
    open: async () => openEmbeddedStore({ dataDir: await directory() }),
    dispose: async () => {
      if (dataDir !== undefined) await rm(await dataDir, { recursive: true, force: true });
    },
  };
}

export function mongodbAdapter(): StoreAdapter {
  const uri = inject('mongodbUri');
  const databaseName = uniqueDatabaseName();
  return {
    name: 'mongodb',
    skipReason: uri === null ? `skipped: ${inject('mongodbSource')}` : undefined,
    open: () => openMongoStore({ uri: required(uri), databaseName }),
    dispose: async () => {
      const client = await MongoClient.connect(required(uri));
      try {
        await client.db(databaseName).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

/** Whether the mongodb adapter's server is FerretDB v1, whose writes the adapter makes differently (mongodb.ts). */
export async function serverIsFerretDb(): Promise<boolean> {
  const client = await MongoClient.connect(required(inject('mongodbUri')));
  try {
    return typeof (await client.db('admin').command({ buildInfo: 1 })).ferretdbVersion === 'string';
  } finally {
    await client.close();
  }
}

/** A database of its own for each test file, so files running in parallel never share data. */
export function uniqueDatabaseName(): string {
  return `lockstep_test_${randomBytes(6).toString('hex')}`;
}

function required(uri: string | null): string {
  if (uri === null) throw new Error('no MongoDB server for this test run');
  return uri;
}
