import { randomBytes } from 'node:crypto';
import { captureDefinitionSchema, outboundFlowSchema, processEventSchema, processSyncDefinitionSchema, remoteSystemSchema } from '@lockstep/schema';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { TableDictionary, type ResolvedTable } from '../../src/dictionary/dictionary.js';
import { shippedTables } from '../../src/dictionary/tables.js';
import type { DocumentStore, StoreOperation } from '@lockstep/store';
import { CaptureService } from '../../src/sync/capture/capture-service.js';
import { SecretBox } from '../../src/sync/config/secret-box.js';
import { SyncConfigStore } from '../../src/sync/config/sync-config-store.js';
import { RecordNumbers } from '../../src/table/numbering.js';
import { RecordStore } from '../../src/table/record-store.js';
import { storeAdapters } from '../store/adapters.js';

const admin: Principal = { sysId: 'a'.repeat(32), userName: 'admin', roles: ['admin'], domain: 'global', homeDomain: 'global' };
const sysId = () => randomBytes(16).toString('hex');

/** The relay's writes to the outbound queue, as the store's operation listener hears them. */
describe.each(storeAdapters().map((adapter) => [adapter.name, adapter] as const))('the outbox relay’s writes on the %s store', (_name, adapter) => {
  describe.skipIf(adapter.skipReason !== undefined)(adapter.skipReason ?? 'relay', () => {
    let store: DocumentStore;
    let sync: CaptureService;
    let records: RecordStore;
    let incident: ResolvedTable;
    let remote: string;

    beforeAll(async () => {
      vi.stubEnv('LOCKSTEP_COUNT_STORE_OPS', '1');
      store = await adapter.open();
      vi.unstubAllEnvs();
      const dictionary = new TableDictionary(shippedTables);
      incident = dictionary.get('incident') as ResolvedTable;
      const config = new SyncConfigStore(store, new SecretBox(randomBytes(32)));
      sync = new CaptureService({ store, dictionary, config, logger: pino({ level: 'silent' }) });
      records = new RecordStore(store, dictionary, new RecordNumbers(store), sync.capture);
      await Promise.all([config.prepare(), sync.prepare(), records.prepare()]);
      const definition = (await config.definitions.insert(processSyncDefinitionSchema.parse({ name: 'Batched' }), 'test'))._id;
      const event = (await config.processEvents.insert(processEventSchema.parse({ name: 'Raise', process_sync_definition: definition }), 'test'))._id;
      remote = (
        await config.remoteSystems.insert(
          remoteSystemSchema.parse({
            process_sync_definition: definition,
            name: 'Peer',
            external_id: sysId(),
            connection: { base_url: 'https://peer.example.com', user_name: 'api', password: 'secret', signing_secrets: ['s'.repeat(40)] },
            inbound_api_user: sysId(),
            run_as_user: sysId(),
            outbound_state: 'active',
          }),
          'test',
        )
      )._id;
      await config.outboundFlows.insert(outboundFlowSchema.parse({ process_sync_definition: definition, process_event: event, remote_system: remote, subflow: 'outbound' }), 'test');
      await config.captureDefinitions.insert(
        captureDefinitionSchema.parse({ process_sync_definition: definition, process_event: event, state: 'active', source_table: 'incident', operations: ['insert', 'update'], include_fields: ['short_description'] }),
        'test',
      );
    });
    afterAll(async () => {
      await store.close();
      await adapter.dispose();
    });

    /** The inserts into the outbound queue while `work` runs, by the documents each carried. */
    async function queueInserts(work: () => Promise<unknown>): Promise<number[]> {
      const heard: StoreOperation[] = [];
      const stop = store.onOperation((operation) => heard.push(operation));
      try {
        await work();
      } finally {
        stop();
      }
      return heard.filter((operation) => operation.collection === 'sync_outbound_queue' && operation.kind === 'insert').map((operation) => operation.documents ?? 0);
    }

    const sequencesOf = async (sysIds: string[]) =>
      (await sync.queue.list({ remote_system: remote })).filter((item) => sysIds.includes(item.record.sys_id)).map((item) => [item.record.sys_id, item.sequence]);

    it('queues the changes of many records in one write, a record’s second change in the next', async () => {
      const created = await Promise.all(Array.from({ length: 5 }, (_, index) => records.create(incident, { values: { short_description: `Batch ${index}` }, journal: {} }, admin)));
      const [twice] = created;
      await records.update(incident, twice!.sys_id, { values: { short_description: 'Changed before the relay ran' }, journal: {} }, admin);

      expect(await queueInserts(() => sync.relay.relayPending())).toEqual([5, 1]);
      const ids = created.map((record) => record.sys_id);
      expect((await sequencesOf(ids)).toSorted()).toEqual([...ids.map((id) => [id, 1]), [twice!.sys_id, 2]].toSorted());
    });

    it('still queues every other item when one of a write’s items was queued before', async () => {
      const created = await Promise.all(Array.from({ length: 3 }, (_, index) => records.create(incident, { values: { short_description: `Again ${index}` }, journal: {} }, admin)));
      const [first] = created;
      // A relay that stopped after queueing the first record's change, before clearing its outbox.
      const [entry] = ((await store.collection('table_task').findOne({ _id: first!.sys_id }))?.__outbox as string[]) ?? [];
      await sync.relay.moveIntent(JSON.parse(entry!));

      await sync.relay.relayPending();
      const ids = created.map((record) => record.sys_id);
      expect((await sequencesOf(ids)).toSorted()).toEqual(ids.map((id) => [id, 1]).toSorted());
      expect(await sync.relay.relayPending()).toBe('idle');
      expect(await store.collection('table_task').countDocuments({ _id: { $in: ids }, __outbox_pending: true })).toBe(0);
    });
  });
});
