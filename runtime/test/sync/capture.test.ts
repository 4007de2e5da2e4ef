import { randomBytes } from 'node:crypto';
import { capturedObjectSchema, type CapturedObject } from '@lockstep/schema';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OutboundQueue, type OutboundQueueItem } from '../../src/sync/outbound/outbound-queue.js';
import { ADMIN, basic, describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { until } from '../support/until.js';

const SYNC = '/api/lockstep/v1/sync';
const PASSWORD = 'a-password-for-tests';
const TASKS = 'table_task';

type Body = Record<string, unknown>;

const payloadOf = (item: OutboundQueueItem): CapturedObject => capturedObjectSchema.parse(JSON.parse(item.payload_json));

describeOnEachStore('capture into the outbound queue', (variant) => {
  let runtime: TestRuntime;
  let queue: OutboundQueue;
  let outboundSubflow: string;
  const people: Record<'api' | 'runAs', string> = {} as never;
  const activeCaptures: string[] = [];

  async function ok(response: Response, status: number) {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    return text === '' ? undefined : JSON.parse(text);
  }

  const create = async (kind: string, body: Body) => (await ok(await runtime.call('POST', `${SYNC}/${kind}`, { body }), 201)).result;

  async function createUser(user_name: string, roles: string[], sys_domain = 'global') {
    const { result } = await ok(await runtime.call('POST', '/api/lockstep/v1/users', { body: { user_name, roles, sys_domain, password: PASSWORD } }), 201);
    return { sysId: result.sys_id as string, auth: basic(user_name, PASSWORD) };
  }

  async function publishedOutboundSubflow(): Promise<string> {
    const copied = await runtime.call('POST', '/api/lockstep/v1/subflows/outbound-basic/copy', { body: {} });
    const { result } = await ok(copied, 201);
    const headers = { authorization: basic(ADMIN.user, ADMIN.password), 'if-match': copied.headers.get('etag') ?? '' };
    await ok(await fetch(`${runtime.url}/api/lockstep/v1/subflows/${result.id}/publish`, { method: 'POST', headers }), 201);
    return result.id;
  }

  /** Stands in for Validate and Activate, whose handshake needs a live peer: sets the outbound state it would. */
  async function activateOutboundForTest(remoteSystem: string): Promise<void> {
    await runtime.store.collection('sync_remote_system').updateOne({ _id: remoteSystem }, { $set: { outbound_state: 'active' } });
  }

  /** A process sync definition in `domain` whose one process event goes, by outbound flows, to `count` active remote systems. */
  async function integration(count = 1, domain = 'global') {
    const def = (await create('definitions', { name: `Capture ${Math.random()}`, sys_domain: domain })).sys_id as string;
    // The remote systems' users live in the definition's domain, as the config API requires.
    const users =
      domain === 'global'
        ? people
        : {
            api: (await createUser(`peer.api.${Math.random()}`, ['ih_process_sync_api'], domain)).sysId,
            runAs: (await createUser(`sync.runner.${Math.random()}`, ['ih_process_sync_run_as', 'itil'], domain)).sysId,
          };
    const event = (await create('process-events', { process_sync_definition: def, name: 'Consumer raises incident' })).sys_id as string;
    const remotes: string[] = [];
    for (let index = 0; index < count; index++) {
      const remote = await create('remote-systems', {
        process_sync_definition: def,
        name: `Provider ${index}`,
        external_id: randomBytes(16).toString('hex'),
        connection: { base_url: 'https://provider.example.com', user_name: 'consumer.api', password: 'secret', signing_secrets: ['s'.repeat(40)] },
        inbound_api_user: users.api,
        run_as_user: users.runAs,
      });
      await create('outbound-flows', { process_sync_definition: def, process_event: event, remote_system: remote.sys_id, subflow: outboundSubflow });
      await activateOutboundForTest(remote.sys_id);
      remotes.push(remote.sys_id);
    }
    const capture = async (body: Body): Promise<string> => {
      const id = (await create('capture-definitions', { process_sync_definition: def, process_event: event, state: 'active', source_table: 'incident', ...body })).sys_id;
      activeCaptures.push(id);
      return id;
    };
    return { event, remotes, capture };
  }

  /** The queue items to a remote system in sequence order, once the relay has emptied every outbox. */
  async function relayed(remoteSystem: string): Promise<OutboundQueueItem[]> {
    await until(async () => (await runtime.store.collection(TASKS).countDocuments({ __outbox_pending: true })) === 0, 'the relay emptied every outbox');
    return (await queue.list({ remote_system: remoteSystem })).toSorted((a, b) => a.correlation_key.localeCompare(b.correlation_key) || a.sequence - b.sequence);
  }

  async function write(method: string, path: string, body?: Body, auth?: string) {
    const response = await runtime.call(method, `/api/now/table/${path}`, { body, ...(auth && { auth }) });
    return (await ok(response, method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200))?.result;
  }

  beforeAll(async () => {
    // Sending is paused: these remote systems are stand-ins, and the test looks at items as queued.
    runtime = await startTestRuntime({ ...variant.settings(), 'outbound-concurrency': '0' });
    queue = new OutboundQueue(runtime.store);
    people.api = (await createUser('peer.api', ['ih_process_sync_api'])).sysId;
    people.runAs = (await createUser('sync.runner', ['ih_process_sync_run_as', 'itil'])).sysId;
    outboundSubflow = await publishedOutboundSubflow();
  });
  afterAll(() => runtime.dispose());
  // Definitions stay active otherwise, and would capture the next test's records too.
  afterEach(async () => {
    for (const id of activeCaptures.splice(0)) await ok(await runtime.call('PATCH', `${SYNC}/capture-definitions/${id}`, { body: { state: 'inactive' } }), 200);
  });

  it('queues an insert, updates and a delete with their captured objects, numbered 1, 2, 3… per record and remote system', async () => {
    const { event, remotes, capture } = await integration(2);
    const definition = await capture({ operations: ['insert', 'update', 'delete'], include_fields: ['number', 'short_description', 'priority', 'state', 'comments', 'work_notes'] });
    const created = await write('POST', 'incident', { short_description: 'Email is down', priority: '2', comments: 'First' });
    const updated = await write('PATCH', `incident/${created.sys_id}`, { state: '2', comments: 'Second' });
    const noted = await write('PATCH', `incident/${created.sys_id}`, { work_notes: 'Looked at the mail server' });
    await write('DELETE', `incident/${created.sys_id}`);

    const [first, second] = await Promise.all(remotes.map((remote) => relayed(remote)));
    for (const [items, remote] of [[first, remotes[0]], [second, remotes[1]]] as const) {
      expect(items?.map((item) => [item.sequence, item.operation])).toEqual([[1, 'insert'], [2, 'update'], [3, 'update'], [4, 'delete']]);
      expect(items?.[0]).toMatchObject({
        _id: `${items?.[0]?.origin_intent}:${remote}`,
        status: 'ready',
        process_event: event,
        remote_system: remote,
        capture_definition: definition,
        correlation_key: `incident:${created.sys_id}:${remote}`,
        record: { table: 'incident', sys_id: created.sys_id, mod_count: 0 },
        sys_domain: 'global',
        started_at: null,
        retry: { attempts: 0, next_attempt_at: null, last_error: null },
        flow_context: null,
      });
    }
    // Both remote systems get the same captured changes.
    expect(second?.map((item) => item.origin_intent)).toEqual(first?.map((item) => item.origin_intent));

    const [insert, update, note, removal] = (first ?? []).map(payloadOf);
    const entry = (value: string, on: string) => ({ value, created_by: 'admin', created_on: on });
    const metadata = (on: string, mod_count: number) => ({ changed_by: 'admin', changed_on: on, domain: 'global', capture_definition: definition, mod_count, include_attachments: false });
    expect(insert).toEqual({
      table: 'incident',
      sys_id: created.sys_id,
      operation: 'insert',
      fields: { number: created.number, short_description: 'Email is down', priority: '2', state: '1' },
      changed: ['number', 'short_description', 'priority', 'state', 'comments'],
      journal: { comments: [entry('First', created.sys_created_on)] },
      attachments: [],
      metadata: metadata(created.sys_created_on, 0),
    });
    expect(update).toMatchObject({ operation: 'update', fields: { state: '2' }, changed: ['state', 'comments'], journal: { comments: [entry('Second', updated.sys_updated_on)] } });
    expect(update?.metadata).toEqual(metadata(updated.sys_updated_on, 1));
    expect(note).toMatchObject({ changed: ['work_notes'], journal: { work_notes: [entry('Looked at the mail server', noted.sys_updated_on)] }, metadata: { mod_count: 2 } });
    expect(removal).toMatchObject({ operation: 'delete', fields: { short_description: 'Email is down', state: '2' }, changed: [], journal: {}, metadata: { mod_count: 3 } });

    // The tombstone that carried the delete's intent is gone once the relay moved it.
    expect(await runtime.store.collection(TASKS).findOne({ _id: created.sys_id })).toBeNull();
    expect((await runtime.call('GET', `/api/now/table/incident/${created.sys_id}`)).status).toBe(404);
  });

  it('fires a changes_to filter only on the change it names', async () => {
    const { remotes, capture } = await integration();
    await capture({ operations: ['insert', 'update'], include_fields: ['state'], filter: { match: 'all', conditions: [{ field: 'state', operator: 'changes_to', value: '2' }] } });
    const created = await write('POST', 'incident', { short_description: 'Starts new' });
    for (const change of [{ short_description: 'Renamed' }, { state: '2' }, { state: '2', priority: '1' }, { state: '3' }]) {
      await write('PATCH', `incident/${created.sys_id}`, change);
    }
    const items = await relayed(remotes[0] ?? '');
    expect(items.map((item) => [item.sequence, item.record.mod_count, payloadOf(item).changed])).toEqual([[1, 2, ['state']]]);
  });

  it('evaluates the definitions in order and ignores inactive ones', async () => {
    const { remotes, capture } = await integration();
    const later = await capture({ order: 200, include_fields: ['short_description'] });
    const sooner = await capture({ order: 100, include_fields: ['priority'] });
    await capture({ order: 50, state: 'inactive', include_fields: ['state'] });
    await write('POST', 'incident', { short_description: 'Ordered', priority: '3' });
    const items = await relayed(remotes[0] ?? '');
    expect(items.map((item) => [item.sequence, item.capture_definition])).toEqual([[1, sooner], [2, later]]);
    expect(items.map((item) => payloadOf(item).fields)).toEqual([{ priority: '3' }, { short_description: 'Ordered' }]);
  });

  it('captures only records in the definition’s domain and the domains below it', async () => {
    const { remotes, capture } = await integration(1, 'global/acme');
    await capture({ include_fields: ['short_description'] });
    const writers = {
      acme: await createUser('acme.agent', ['itil'], 'global/acme'),
      emea: await createUser('acme.emea.agent', ['itil'], 'global/acme/emea'),
      beta: await createUser('beta.agent', ['itil'], 'global/beta'),
      acmeLookalike: await createUser('acmeco.agent', ['itil'], 'global/acmeco'),
    };
    for (const [name, writer] of Object.entries(writers)) await write('POST', 'incident', { short_description: name }, writer.auth);
    await write('POST', 'incident', { short_description: 'global' });
    const items = await relayed(remotes[0] ?? '');
    expect(items.map((item) => [payloadOf(item).fields.short_description, item.sys_domain]).sort()).toEqual([
      ['acme', 'global/acme'],
      ['emea', 'global/acme/emea'],
    ]);
  });

  it('leaves no intent and queues nothing for a table no definition captures', async () => {
    const { capture } = await integration();
    await capture({ include_fields: ['short_description'] });
    const created = await write('POST', 'case', { short_description: 'Not captured' });
    await write('PATCH', `case/${created.sys_id}`, { short_description: 'Still not' });
    const stored = await runtime.store.collection(TASKS).findOne({ _id: created.sys_id });
    expect(Object.keys(stored ?? {}).filter((field) => field.startsWith('__'))).toEqual([]);
    await write('DELETE', `case/${created.sys_id}`);
    expect(await runtime.store.collection(TASKS).findOne({ _id: created.sys_id })).toBeNull();
    expect((await queue.list()).filter((item) => item.record.sys_id === created.sys_id)).toEqual([]);
  });

  describe('concurrent updates of one record', () => {
    it('capture every one, numbered 1 to 20 in the order they were written', async () => {
      const { remotes, capture } = await integration();
      await capture({ operations: ['update'], include_fields: ['short_description'] });
      const created = await write('POST', 'incident', { short_description: 'Contended' });
      const texts = Array.from({ length: 20 }, (_, index) => `update ${index}`);
      await Promise.all(texts.map((text) => write('PATCH', `incident/${created.sys_id}`, { short_description: text })));
      const items = await relayed(remotes[0] ?? '');
      expect(items.map((item) => item.sequence)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      expect(items.map((item) => item.record.mod_count)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      expect(items.map((item) => payloadOf(item).fields.short_description).sort()).toEqual(texts.toSorted());
      const stored = await runtime.store.collection(TASKS).findOne({ _id: created.sys_id });
      expect(stored).toMatchObject({ sys_mod_count: 20, __outbox: [] });
      expect(stored).not.toHaveProperty('__outbox_pending');
    });
  });
});
