import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { captureDefinitionSchema, processEventSchema, remoteSystemSchema, type FlowLink } from '@lockstep/schema';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DuplicateKeyError, openStore, type DocumentStore } from '@lockstep/store';
import { SecretBox } from '../../src/sync/config/secret-box.js';
import { SyncConfigStore, type StoredCaptureDefinition } from '../../src/sync/config/sync-config-store.js';

const sysId = () => randomBytes(16).toString('hex');
const ACTOR = 'tester';
/** The key remote systems' secrets are sealed with, the same for every config store on the test's data. */
const secrets = new SecretBox(randomBytes(32));

describe('SyncConfigStore', () => {
  let dataDir: string;
  let store: DocumentStore;
  let config: SyncConfigStore;
  const definition = sysId();
  const event = sysId();

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lockstep-sync-config-'));
    store = await openStore({ dataDir });
    config = new SyncConfigStore(store, secrets, { captureCacheMaxAgeMs: 60_000 });
    await config.prepare();
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const capture = (fields: { source_table: string; order?: number; state?: 'active' | 'inactive' }) =>
    config.captureDefinitions.insert(captureDefinitionSchema.parse({ process_sync_definition: definition, process_event: event, state: 'active', ...fields }), ACTOR);
  const ids = (definitions: StoredCaptureDefinition[]) => definitions.map((found) => found._id);

  describe('captureDefinitionsFor', () => {
    it('gives the active ones on the tables asked for, by order, then _id', async () => {
      const late = await capture({ source_table: 'incident', order: 200 });
      const [tieA, tieB] = [await capture({ source_table: 'incident', order: 100 }), await capture({ source_table: 'task', order: 100 })].sort((a, b) => a._id.localeCompare(b._id));
      const first = await capture({ source_table: 'task', order: 10 });
      await capture({ source_table: 'incident', order: 1, state: 'inactive' });
      await capture({ source_table: 'case', order: 1 });

      expect(ids(await config.captureDefinitionsFor(['incident', 'task']))).toEqual([first._id, tieA?._id, tieB?._id, late._id]);
      expect(ids(await config.captureDefinitionsFor(['incident', 'incident']))).toHaveLength(2);
      expect(await config.captureDefinitionsFor(['sc_request'])).toEqual([]);
    });

    it('answers from memory until a capture definition is written in this process', async () => {
      const kept = await capture({ source_table: 'incident', order: 100 });
      expect(ids(await config.captureDefinitionsFor(['incident']))).toEqual([kept._id]);

      // Written past the store, as another process would: not seen until the cache is dropped.
      await store.collection('sync_capture_definition').insertOne({ ...kept, _id: sysId(), order: 1 });
      expect(ids(await config.captureDefinitionsFor(['incident']))).toEqual([kept._id]);

      const added = await capture({ source_table: 'incident', order: 50 });
      expect(ids(await config.captureDefinitionsFor(['incident']))).toHaveLength(3);
      await config.captureDefinitions.update(added._id, { state: 'inactive' }, ACTOR);
      expect(ids(await config.captureDefinitionsFor(['incident']))).not.toContain(added._id);
      await config.captureDefinitions.delete(kept._id);
      expect(ids(await config.captureDefinitionsFor(['incident']))).not.toContain(kept._id);
    });

    it('reads again once the cache is older than its maximum age, for writes by other processes', async () => {
      // Only the clock is faked: the store's own timers and I/O run as they do.
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        const fresh = new SyncConfigStore(store, secrets, { captureCacheMaxAgeMs: 20 });
        expect(await fresh.captureDefinitionsFor(['incident'])).toEqual([]);
        const other = await capture({ source_table: 'incident' });
        vi.setSystemTime(Date.now() + 10);
        expect(await fresh.captureDefinitionsFor(['incident'])).toEqual([]);
        vi.setSystemTime(Date.now() + 20);
        expect(ids(await fresh.captureDefinitionsFor(['incident']))).toEqual([other._id]);
      } finally {
        vi.useRealTimers();
      }
    });
  });

  describe('look-ups', () => {
    const eventFields = (name: string, process_sync_definition = definition) => processEventSchema.parse({ name, process_sync_definition });
    const remoteFields = (name: string) =>
      remoteSystemSchema.parse({
        process_sync_definition: definition,
        name,
        external_id: sysId(),
        connection: { base_url: 'https://peer.example.com', user_name: 'api', password: 'secret-password', signing_secrets: ['k'.repeat(32)] },
        inbound_api_user: sysId(),
        run_as_user: sysId(),
      });
    const link = (process_event: string, remote_system: string): FlowLink => ({ process_sync_definition: definition, process_event, remote_system, subflow: 'outbound-basic', sys_domain: 'global' });

    it('find process events by id and by name, names being unique within a definition', async () => {
      const raised = await config.processEvents.insert(eventFields('Consumer raises incident'), ACTOR);
      const elsewhere = await config.processEvents.insert(eventFields('Consumer raises incident', sysId()), ACTOR);
      expect(await config.processEvent(raised._id)).toMatchObject({ name: 'Consumer raises incident', sys_created_by: ACTOR });
      expect((await config.processEventByName('Consumer raises incident', elsewhere.process_sync_definition))?._id).toBe(elsewhere._id);
      expect([raised._id, elsewhere._id]).toContain((await config.processEventByName('Consumer raises incident'))?._id);
      expect(await config.processEventByName('Nobody')).toBeNull();
      await expect(config.processEvents.insert(eventFields('Consumer raises incident'), ACTOR)).rejects.toBeInstanceOf(DuplicateKeyError);
    });

    it('find the flows of a process event and remote system', async () => {
      const [first, second] = [sysId(), sysId()];
      const a = await config.outboundFlows.insert(link(event, first), ACTOR);
      const b = await config.outboundFlows.insert(link(event, second), ACTOR);
      await config.outboundFlows.insert(link(sysId(), first), ACTOR);
      expect((await config.outboundFlowsFor(event)).map((flow) => flow._id).sort()).toEqual([a._id, b._id].sort());
      const inbound = await config.inboundFlows.insert(link(event, second), ACTOR);
      expect((await config.inboundFlowFor(event, second))?._id).toBe(inbound._id);
      expect(await config.inboundFlowFor(event, first)).toBeNull();
      await expect(config.inboundFlows.insert(link(event, second), ACTOR)).rejects.toBeInstanceOf(DuplicateKeyError);
    });

    it('set a remote system’s state in one direction, as the runtime', async () => {
      const system = await config.remoteSystems.insert(remoteFields('Provider'), ACTOR);
      const active = await config.setRemoteSystemState(system._id, 'outbound', 'active');
      expect(active).toMatchObject({ outbound_state: 'active', inbound_state: 'disabled', sys_updated_by: 'system', sys_created_by: ACTOR });
      expect(await config.setRemoteSystemState(system._id, 'inbound', 'error')).toMatchObject({ outbound_state: 'active', inbound_state: 'error' });
      expect((await config.remoteSystem(system._id))?.connection.password).toBe('secret-password');
      expect(await config.setRemoteSystemState(sysId(), 'inbound', 'active')).toBeNull();
      await expect(config.remoteSystems.insert(remoteFields('Provider'), ACTOR)).rejects.toBeInstanceOf(DuplicateKeyError);
    });
  });
});
