import { readdir, readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { TableDictionary, type ResolvedTable } from '../../src/dictionary/dictionary.js';
import { shippedTables } from '../../src/dictionary/tables.js';
import { problemHandler } from '../../src/http/error-handler.js';
import { DuplicateKeyError, WriteConflictError, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';
import { RecordNumbers } from '../../src/table/numbering.js';
import type { RecordCapture } from '../../src/table/record-capture.js';
import { RecordStore } from '../../src/table/record-store.js';
import { embeddedAdapter } from './adapters.js';

const admin: Principal = { sysId: 'a'.repeat(32), userName: 'admin', roles: ['admin'], domain: 'global', homeDomain: 'global' };
const source = fileURLToPath(new URL('../../src/', import.meta.url));

/** Storage, as the issue draws its boundary: the store, the record store, and every *store* module of the runtime. */
async function storageModules(): Promise<string[]> {
  const all = (await readdir(source, { recursive: true })).filter((file) => file.endsWith('.ts'));
  return all.filter((file) => file.startsWith('store/') || file === 'table/record-store.ts' || /(^|\/)[^/]*store[^/]*\.ts$/.test(file));
}

/** A capture that applies to every write, leaving no intents: it makes each update a read, then a compare-and-set. */
const everyWrite: RecordCapture = { matcherFor: async () => () => [], captured: () => undefined };

/**
 * The store, with another writer that changes `sysId` just before each of
 * the record store's conditional writes, as a busy peer process would: every
 * compare-and-set finds the record moved on.
 */
function withRival(store: DocumentStore, sysId: () => string): DocumentStore {
  const rivalled = <T extends StoredDocument>(collection: Collection<T>): Collection<T> =>
    Object.assign(Object.create(collection) as Collection<T>, {
      findOneAndUpdate: async (...args: Parameters<Collection<T>['findOneAndUpdate']>) => {
        await collection.updateOne({ _id: sysId() }, { $inc: { sys_mod_count: 1 } });
        return collection.findOneAndUpdate(...args);
      },
    });
  return Object.assign(Object.create(store) as DocumentStore, { collection: <T extends StoredDocument>(name: string) => rivalled(store.collection<T>(name)) });
}

describe('storage fails in its own words', () => {
  it('imports nothing of the HTTP layer', async () => {
    const modules = await storageModules();
    expect(modules).toContain('table/record-store.ts');
    const offenders: string[] = [];
    for (const module of modules) {
      if (/from '(\.\.?\/)+http\//.test(await readFile(`${source}${module}`, 'utf8'))) offenders.push(module);
    }
    expect(offenders).toEqual([]);
  });

  describe('a record write that loses every compare-and-set', () => {
    const adapter = embeddedAdapter();
    let store: DocumentStore;
    let incident: ResolvedTable;
    let plain: RecordStore;
    let contested: RecordStore;
    let sysId = '';
    beforeAll(async () => {
      store = await adapter.open();
      const dictionary = new TableDictionary(shippedTables);
      incident = dictionary.get('incident') as ResolvedTable;
      plain = new RecordStore(store, dictionary, new RecordNumbers(store));
      contested = new RecordStore(withRival(store, () => sysId), dictionary, new RecordNumbers(store), everyWrite);
      await plain.prepare();
      sysId = (await plain.create(incident, { values: { short_description: 'Mail is down' }, journal: {} }, admin))._id;
    });
    afterAll(async () => {
      await store.close();
      await adapter.dispose();
    });

    it('throws WriteConflictError naming the record, having written nothing', async () => {
      const update = contested.update(incident, sysId, { values: { short_description: 'Mail is back' }, journal: {} }, admin);
      await expect(update).rejects.toThrow(WriteConflictError);
      await expect(update).rejects.toThrow(`the incident record ${sysId} changed under 100 attempts in a row to write it`);
      expect(await plain.get(incident, sysId)).toMatchObject({ short_description: 'Mail is down', sys_mod_count: 100 });
    });
  });

  describe('the API answers them as problem+json', () => {
    let server: Server;
    let url = '';
    beforeAll(async () => {
      const app = express();
      app.get('/conflict', () => {
        throw new WriteConflictError('the incident record 123', 100);
      });
      app.get('/duplicate', () => {
        throw new DuplicateKeyError('users', { user_name: 'ann' });
      });
      app.use(problemHandler);
      server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('a write conflict as 409 write-conflict, saying to try again', async () => {
      const response = await fetch(`${url}/conflict`);
      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toEqual({
        type: 'urn:lockstep:problem:write-conflict',
        title: 'Conflict',
        status: 409,
        detail: 'the incident record 123 changed under 100 attempts in a row to write it; too many writes to it at once. Try again.',
        instance: '/conflict',
      });
    });

    it('a duplicate key as 409 duplicate', async () => {
      const response = await fetch(`${url}/duplicate`);
      expect(response.status).toBe(409);
      expect(await response.json()).toMatchObject({ type: 'urn:lockstep:problem:duplicate', detail: 'a record with the same unique value already exists: duplicate key in users: {"user_name":"ann"}' });
    });
  });
});
