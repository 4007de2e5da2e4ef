import { randomBytes } from 'node:crypto';
import { updateRecord, type NodeImplementation, type StepContext } from '@lockstep/flow';
import { captureDefinitionSchema, outboundFlowSchema, processEventSchema, processSyncDefinitionSchema, remoteSystemSchema, type RemoteSystemState } from '@lockstep/schema';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { TableDictionary, type ResolvedTable } from '../../src/dictionary/dictionary.js';
import { everyDomain } from '../../src/domains/domain-scope.js';
import { shippedTables } from '../../src/dictionary/tables.js';
import { recordImplementations } from '../../src/flows/actions/records.js';
import type { DocumentStore } from '@lockstep/store';
import { CaptureService } from '../../src/sync/capture/capture-service.js';
import { SequenceCounters } from '../../src/sync/capture/sequences.js';
import { SecretBox } from '../../src/sync/config/secret-box.js';
import { SyncConfigStore } from '../../src/sync/config/sync-config-store.js';
import { correlationKey, outboundItemId } from '../../src/sync/outbound/outbound-queue.js';
import { RecordNumbers } from '../../src/table/numbering.js';
import type { OutboxIntent } from '../../src/table/record-capture.js';
import { RecordStore } from '../../src/table/record-store.js';
import { storeAdapters } from '../store/adapters.js';

const admin: Principal = { sysId: 'a'.repeat(32), userName: 'admin', roles: ['admin'], domain: 'global', homeDomain: 'global' };
const sysId = () => randomBytes(16).toString('hex');

/*
 * The record store, capture and the relay against each store directly, with
 * the relay's loop not running: each test drives the relay's steps itself,
 * as a crash would leave them.
 */
describe.each(storeAdapters().map((adapter) => [adapter.name, adapter] as const))('capture and the outbox relay on the %s store', (_name, adapter) => {
  describe.skipIf(adapter.skipReason !== undefined)(adapter.skipReason ?? 'relay', () => {
    let store: DocumentStore;
    let config: SyncConfigStore;
    let sync: CaptureService;
    let records: RecordStore;
    let sequences: SequenceCounters;
    let incident: ResolvedTable;
    const captures: string[] = [];

    beforeAll(async () => {
      store = await adapter.open();
      const dictionary = new TableDictionary(shippedTables);
      incident = dictionary.get('incident') as ResolvedTable;
      config = new SyncConfigStore(store, new SecretBox(randomBytes(32)));
      sync = new CaptureService({ store, dictionary, config, logger: pino({ level: 'silent' }) });
      records = new RecordStore(store, dictionary, new RecordNumbers(store), sync.capture);
      sequences = new SequenceCounters(store);
      await Promise.all([config.prepare(), sync.prepare(), records.prepare()]);
    });
    afterAll(async () => {
      await store.close();
      await adapter.dispose();
    });
    afterEach(async () => {
      for (const id of captures.splice(0)) await config.captureDefinitions.update(id, { state: 'inactive' }, 'test');
    });

    /** Configuration written through the config store, as the config API would; remote systems in the states given. */
    async function configureThroughConfigStore(states: RemoteSystemState[]) {
      const definition = (await config.definitions.insert(processSyncDefinitionSchema.parse({ name: `Relay ${sysId()}` }), 'test'))._id;
      const event = (await config.processEvents.insert(processEventSchema.parse({ name: 'Raise', process_sync_definition: definition }), 'test'))._id;
      const remotes: string[] = [];
      for (const [index, outbound_state] of states.entries()) {
        const remote = await config.remoteSystems.insert(
          remoteSystemSchema.parse({
            process_sync_definition: definition,
            name: `Peer ${index}`,
            external_id: sysId(),
            connection: { base_url: 'https://peer.example.com', user_name: 'api', password: 'secret', signing_secrets: ['s'.repeat(40)] },
            inbound_api_user: sysId(),
            run_as_user: sysId(),
            outbound_state,
          }),
          'test',
        );
        await config.outboundFlows.insert(outboundFlowSchema.parse({ process_sync_definition: definition, process_event: event, remote_system: remote._id, subflow: 'outbound' }), 'test');
        remotes.push(remote._id);
      }
      const capture = await config.captureDefinitions.insert(
        captureDefinitionSchema.parse({ process_sync_definition: definition, process_event: event, state: 'active', source_table: 'incident', operations: ['insert', 'update', 'delete'], include_fields: ['short_description'] }),
        'test',
      );
      captures.push(capture._id);
      return { event, remotes };
    }

    const raw = (id: string) => store.collection('table_task').findOne({ _id: id });
    const outboxOf = async (id: string) => ((await raw(id))?.__outbox as string[] | undefined)?.map((entry) => JSON.parse(entry) as OutboxIntent) ?? [];
    const itemsTo = async (remote: string) => (await sync.queue.list({ remote_system: remote })).toSorted((a, b) => a.sequence - b.sequence);

    it('gives an intent numbered before a crash the same number when moved again, and queues it once', async () => {
      const { remotes } = await configureThroughConfigStore(['active']);
      const remote = remotes[0] ?? '';
      const created = await records.create(incident, { values: { short_description: 'Numbered, then crashed' }, journal: {} }, admin);
      const [intent] = await outboxOf(created.sys_id);
      expect(intent).toBeDefined();
      const key = correlationKey('incident', created.sys_id, remote);
      const itemId = outboundItemId(intent?.id ?? '', remote);

      // The relay took a number, then died before inserting the queue item.
      const numbering = { id: intent?.id ?? '', modCount: 0, creates: true };
      expect(await sequences.assign(key, numbering, () => sync.queue.exists(itemId))).toBe(1);
      expect(await sync.relay.relayPending()).toBe('done');
      expect((await itemsTo(remote)).map((item) => [item._id, item.sequence])).toEqual([[itemId, 1]]);
      expect(await sequences.latest(key)).toMatchObject({ number: 1, intent: intent?.id });

      // Queued, then died before removing the intent from the record: moving it again inserts nothing.
      await sync.relay.moveIntent(intent as OutboxIntent);
      expect(await itemsTo(remote)).toHaveLength(1);

      await records.update(incident, created.sys_id, { values: { short_description: 'Next change' }, journal: {} }, admin);
      await sync.relay.relayPending();
      expect((await itemsTo(remote)).map((item) => item.sequence)).toEqual([1, 2]);
    });

    it('does not number again intents queued before a crash that left them in the outbox', async () => {
      const { remotes } = await configureThroughConfigStore(['active']);
      const created = await records.create(incident, { values: { short_description: 'one' }, journal: {} }, admin);
      await records.update(incident, created.sys_id, { values: { short_description: 'two' }, journal: {} }, admin);
      const intents = await outboxOf(created.sys_id);
      expect(intents).toHaveLength(2);
      for (const intent of intents) await sync.relay.moveIntent(intent);

      await sync.relay.relayPending();
      expect((await itemsTo(remotes[0] ?? '')).map((item) => [item.sequence, item.origin_intent])).toEqual(intents.map((intent, index) => [index + 1, intent.id]));
      const stored = await raw(created.sys_id);
      expect(stored?.__outbox).toEqual([]);
      expect(stored).not.toHaveProperty('__outbox_pending');

      // No number was spent on the repeated moves: the next change follows on.
      await records.update(incident, created.sys_id, { values: { short_description: 'three' }, journal: {} }, admin);
      await sync.relay.relayPending();
      expect((await itemsTo(remotes[0] ?? '')).map((item) => item.sequence)).toEqual([1, 2, 3]);
    });

    it('settles on its next pass a record left pending with an empty outbox, as a clear that met intents appended meanwhile may leave it', async () => {
      await configureThroughConfigStore(['active']);
      const live = await records.create(incident, { values: { short_description: 'Emptied by another relay' }, journal: {} }, admin);
      const deleted = await records.create(incident, { values: { short_description: 'Deleted, then emptied' }, journal: {} }, admin);
      await sync.relay.relayPending();
      // As another process's relay leaves them, having taken the intents this one's clear met.
      await store.collection('table_task').updateOne({ _id: live.sys_id }, { $set: { __outbox: [], __outbox_pending: true } });
      await store.collection('table_task').updateOne({ _id: deleted.sys_id }, { $set: { __outbox: [], __outbox_pending: true, __deleted: true } });
      expect(await sync.relay.relayPending()).toBe('done');
      expect(await raw(live.sys_id)).not.toHaveProperty('__outbox_pending');
      expect(await raw(deleted.sys_id)).toBeNull();
    });

    it('keeps a captured delete as a tombstone that no read, update or delete sees, until the relay moved it', async () => {
      const { remotes } = await configureThroughConfigStore(['active']);
      const created = await records.create(incident, { values: { short_description: 'Doomed' }, journal: {} }, admin);
      expect(await records.delete(incident, created.sys_id, admin)).toBe(true);
      expect(await raw(created.sys_id)).toMatchObject({ __deleted: true, __outbox_pending: true });
      expect(await records.get(incident, created.sys_id)).toBeNull();
      expect((await records.list(incident, { filter: { short_description: 'Doomed' }, sort: {}, limit: 10, offset: 0 }, everyDomain)).total).toBe(0);
      expect(await records.update(incident, created.sys_id, { values: { short_description: 'Back' }, journal: {} }, admin)).toBeNull();
      expect(await records.delete(incident, created.sys_id, admin)).toBe(false);

      await sync.relay.relayPending();
      expect(await raw(created.sys_id)).toBeNull();
      expect((await itemsTo(remotes[0] ?? '')).map((item) => item.operation)).toEqual(['insert', 'delete']);
    });

    it('never queues a change back to the remote system it came from, nor to a disabled one', async () => {
      const { remotes } = await configureThroughConfigStore(['active', 'active', 'active', 'disabled']);
      const [origin = '', third = '', other = '', disabled = ''] = remotes;
      const created = await records.create(incident, { values: { short_description: 'From the origin' }, journal: {} }, admin, { origin });
      await records.update(incident, created.sys_id, { values: { short_description: 'Local change' }, journal: {} }, admin);
      await sync.relay.relayPending();
      expect((await outboxOf(created.sys_id))).toEqual([]);
      expect((await itemsTo(origin)).map((item) => [item.sequence, item.operation])).toEqual([[1, 'update']]);
      for (const remote of [third, other]) expect((await itemsTo(remote)).map((item) => [item.sequence, item.operation])).toEqual([[1, 'insert'], [2, 'update']]);
      expect(await itemsTo(disabled)).toEqual([]);
    });

    it('writes no intent for a change that could only go back where it came from, and stamps the others with the time of the write', async () => {
      const { remotes } = await configureThroughConfigStore(['active']);
      const [origin = ''] = remotes;
      const before = Date.now();
      const applied = await records.create(incident, { values: { short_description: 'Applied from the only peer' }, journal: {} }, admin, { origin });
      expect(await raw(applied.sys_id)).not.toHaveProperty('__outbox_pending');
      expect(await outboxOf(applied.sys_id)).toEqual([]);

      await records.update(incident, applied.sys_id, { values: { short_description: 'Then changed here' }, journal: {} }, admin);
      const [intent] = await outboxOf(applied.sys_id);
      expect(intent?.captured_at).toBeGreaterThanOrEqual(before);
      await sync.relay.relayPending();
      const [item] = await itemsTo(origin);
      expect(item).toMatchObject({ operation: 'update', sequence: 1, captured_at: intent?.captured_at });
      expect(item?.created_at).toBeGreaterThanOrEqual(item?.captured_at ?? Infinity);
    });

    it('records the origin of a flow run’s record writes', async () => {
      const { remotes } = await configureThroughConfigStore(['active', 'active']);
      const [origin = '', third = ''] = remotes;
      const created = await records.create(incident, { values: { short_description: 'Before the inbound flow' }, journal: {} }, admin);
      const implementations: NodeImplementation[] = recordImplementations(new TableDictionary(shippedTables), records);
      const update = implementations.find((implementation) => implementation.definition === updateRecord);
      const context: StepContext = {
        contextId: sysId(),
        runAs: { userId: admin.sysId, userName: admin.userName, roles: admin.roles, domain: admin.domain },
        origin,
        nodeId: 'update',
        attempt: 1,
        idempotencyKey: 'inbound/update/1/1',
        resumed: false,
        data: { inputs: {}, steps: {}, vars: {} },
        memory: null,
        signal: new AbortController().signal,
        now: Date.now,
        log: () => undefined,
      };
      await update?.run({ table: 'incident', sys_id: created.sys_id, values: { short_description: 'Applied from the origin' } }, context);
      await sync.relay.relayPending();
      expect((await itemsTo(origin)).map((item) => item.operation)).toEqual(['insert']);
      expect((await itemsTo(third)).map((item) => item.operation)).toEqual(['insert', 'update']);
      expect(JSON.parse((await itemsTo(third))[1]?.payload_json ?? '{}')).toMatchObject({ fields: { short_description: 'Applied from the origin' } });
    });
  });
});
