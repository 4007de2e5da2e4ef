import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { ADMIN, basic, describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const SYNC = '/api/lockstep/v1/sync';
const PASSWORD = 'a-password-for-tests';
const PEER_PASSWORD = 'the-peer-api-users-password';
const SECRET = 's'.repeat(40);
const NEXT_SECRET = 'n'.repeat(40);

const sysId = () => randomBytes(16).toString('hex');
const fingerprint = (secret: string) => createHash('sha256').update(secret).digest('hex').slice(0, 8);

type Body = Record<string, unknown>;

describeOnEachStore('the sync config API', (variant) => {
  let runtime: TestRuntime;
  const users: Record<'api' | 'runAs' | 'itil' | 'designer', { sysId: string; auth: string }> = {} as never;
  const subflows: Record<'outbound' | 'inbound' | 'error' | 'draft', string> = {} as never;

  async function ok(response: Response, status: number) {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    return text === '' ? undefined : JSON.parse(text);
  }

  const call = (method: string, path: string, body?: unknown, auth?: string) => runtime.call(method, `${SYNC}${path}`, { body, auth });
  const create = async (kind: string, body: Body) => (await ok(await call('POST', `/${kind}`, body), 201)).result;
  const patch = async (kind: string, id: string, body: Body) => (await ok(await call('PATCH', `/${kind}/${id}`, body), 200)).result;

  async function createUser(user_name: string, roles: string[], sys_domain = 'global') {
    const body = { user_name, roles, sys_domain, password: PASSWORD };
    const { result } = await ok(await runtime.call('POST', '/api/lockstep/v1/users', { body }), 201);
    return { sysId: result.sys_id as string, auth: basic(user_name, PASSWORD) };
  }

  /** A copy of a template, published, as a process designer makes one. */
  async function publishedCopy(template: string, publish = true): Promise<string> {
    const copied = await runtime.call('POST', `/api/lockstep/v1/subflows/${template}/copy`, { body: {} });
    const { result } = await ok(copied, 201);
    if (publish) {
      const headers = { authorization: basic(ADMIN.user, ADMIN.password), 'if-match': copied.headers.get('etag') ?? '' };
      await ok(await fetch(`${runtime.url}/api/lockstep/v1/subflows/${result.id}/publish`, { method: 'POST', headers }), 201);
    }
    return result.id;
  }

  beforeAll(async () => {
    runtime = await startTestRuntime(variant.settings());
    users.api = await createUser('peer.api', ['ih_process_sync_api']);
    users.runAs = await createUser('sync.runner', ['ih_process_sync_run_as', 'itil']);
    users.itil = await createUser('agent', ['itil']);
    users.designer = await createUser('designer', ['ih_process_sync'], 'global/acme');
    subflows.outbound = await publishedCopy('outbound-basic');
    subflows.inbound = await publishedCopy('inbound-basic');
    subflows.error = await publishedCopy('error-basic');
    subflows.draft = await publishedCopy('outbound-basic', false);
  });
  afterAll(() => runtime.dispose());

  const remoteSystemBody = (definition: string, overrides: Body = {}): Body => ({
    process_sync_definition: definition,
    name: 'Provider instance',
    external_id: sysId(),
    connection: { base_url: 'https://provider.example.com', user_name: 'consumer.api', password: PEER_PASSWORD, signing_secrets: [SECRET] },
    inbound_api_user: users.api.sysId,
    run_as_user: users.runAs.sysId,
    error_subflow: subflows.error,
    ...overrides,
  });

  /** One integration, as the seeds build it: definition, event, remote system, capture definition, flows. */
  async function integration() {
    const definition = await create('definitions', { name: 'Incident to provider case' });
    const def = definition.sys_id as string;
    const event = await create('process-events', { process_sync_definition: def, name: 'Consumer raises incident' });
    const remote = await create('remote-systems', remoteSystemBody(def));
    const capture = await create('capture-definitions', {
      process_sync_definition: def,
      process_event: event.sys_id,
      state: 'active',
      source_table: 'incident',
      filter: { match: 'all', conditions: [{ field: 'priority', operator: 'less_or_equal', value: 2 }] },
      include_fields: ['short_description', 'priority', 'comments'],
    });
    const link = { process_sync_definition: def, process_event: event.sys_id, remote_system: remote.sys_id };
    const outbound = await create('outbound-flows', { ...link, subflow: subflows.outbound });
    const inbound = await create('inbound-flows', { ...link, subflow: subflows.inbound });
    return { def, definition, event, remote, capture, outbound, inbound, link };
  }

  describe('an integration', () => {
    it('is built record by record and shown in the definition’s related lists', async () => {
      const { def, definition, event, remote, capture, outbound, inbound } = await integration();
      expect(definition).toMatchObject({ name: 'Incident to provider case', description: '', sys_domain: 'global', sys_created_by: 'admin', sys_updated_by: 'admin' });
      expect(definition.sys_id).toMatch(/^[0-9a-f]{32}$/);
      expect(capture).toMatchObject({ order: 100, operations: ['insert', 'update'], include_attachments: false, state: 'active' });
      expect(remote).toMatchObject({ outbound_state: 'disabled', inbound_state: 'disabled' });

      const { result } = await ok(await call('GET', `/definitions/${def}/related`), 200);
      expect(result).toMatchObject({ sys_id: def, name: 'Incident to provider case' });
      const ids = (list: { sys_id: string }[]) => list.map((record) => record.sys_id);
      expect(ids(result.related.capture_definitions)).toEqual([capture.sys_id]);
      expect(ids(result.related.process_events)).toEqual([event.sys_id]);
      expect(ids(result.related.remote_systems)).toEqual([remote.sys_id]);
      expect(ids(result.related.outbound_flows)).toEqual([outbound.sys_id]);
      expect(ids(result.related.inbound_flows)).toEqual([inbound.sys_id]);
    });

    it('reads, patches and deletes each kind, keeping what a PATCH leaves out', async () => {
      const { def, event, remote, capture, outbound, inbound } = await integration();
      const other = await publishedCopy('outbound-basic');
      const changes: [string, { sys_id: string }, Body, Body][] = [
        ['definitions', { sys_id: def }, { description: 'Consumer side' }, { name: 'Incident to provider case' }],
        ['process-events', event, { description: 'Raised by a caller' }, { name: 'Consumer raises incident' }],
        ['capture-definitions', capture, { order: 50, include_attachments: true }, { state: 'active', source_table: 'incident' }],
        ['remote-systems', remote, { description: 'Their ITSM' }, { name: 'Provider instance', external_id: remote.external_id }],
        ['outbound-flows', outbound, { subflow: other }, { remote_system: remote.sys_id }],
        ['inbound-flows', inbound, { subflow: subflows.inbound }, { process_event: event.sys_id }],
      ];
      for (const [kind, record, change, kept] of changes) {
        expect((await ok(await call('GET', `/${kind}/${record.sys_id}`), 200)).result).toMatchObject({ sys_id: record.sys_id, ...kept });
        expect(await patch(kind, record.sys_id, change)).toMatchObject({ ...change, ...kept });
      }
      for (const [kind, record] of changes.toReversed()) {
        await ok(await call('DELETE', `/${kind}/${record.sys_id}`), 204);
        await expectProblem(await call('GET', `/${kind}/${record.sys_id}`), 404, `unknown-${kind.replace(/s$/, '')}`);
      }
    });

    it('lists by definition, paged, with X-Total-Count', async () => {
      const { def } = await integration();
      for (const name of ['B event', 'A event']) await create('process-events', { process_sync_definition: def, name });
      const response = await call('GET', `/process-events?process_sync_definition=${def}&limit=2&offset=1`);
      expect(response.headers.get('x-total-count')).toBe('3');
      expect((await ok(response, 200)).result.map((event: Body) => event.name)).toEqual(['B event', 'Consumer raises incident']);
      expect(Number((await call('GET', '/definitions?limit=1')).headers.get('x-total-count'))).toBeGreaterThan(1);
      await expectProblem(await call('GET', '/process-events?limit=0'), 400, 'invalid-query');
      await expectProblem(await call('GET', `/definitions?process_sync_definition=${def}`), 400, 'invalid-query');
    });
  });

  describe('remote systems', () => {
    let def: string;
    beforeEach(async () => {
      def = (await create('definitions', { name: 'Remote systems' })).sys_id;
    });

    it('never return the password or signing secrets, only that they are set', async () => {
      const remote = await create('remote-systems', remoteSystemBody(def));
      const connection = { base_url: 'https://provider.example.com', user_name: 'consumer.api', has_password: true, signing_secrets: [{ fingerprint: fingerprint(SECRET) }] };
      expect(remote.connection).toEqual(connection);
      const reads = [
        await call('GET', `/remote-systems/${remote.sys_id}`),
        await call('GET', `/remote-systems?process_sync_definition=${def}`),
        await call('GET', `/definitions/${def}/related`),
        await call('PATCH', `/remote-systems/${remote.sys_id}`, { description: 'x' }),
      ];
      for (const response of reads) {
        const text = await response.text();
        expect(text).toContain(fingerprint(SECRET));
        expect(text).not.toContain(PEER_PASSWORD);
        expect(text).not.toContain(SECRET);
      }
    });

    it('keep the stored password and secrets when a PATCH leaves them out, and rotate secrets', async () => {
      const remote = await create('remote-systems', remoteSystemBody(def));
      const moved = await patch('remote-systems', remote.sys_id, { connection: { base_url: 'https://new.example.com' } });
      expect(moved.connection).toEqual({ base_url: 'https://new.example.com', user_name: 'consumer.api', has_password: true, signing_secrets: [{ fingerprint: fingerprint(SECRET) }] });
      const rotated = await patch('remote-systems', remote.sys_id, { connection: { signing_secrets: [NEXT_SECRET, SECRET] } });
      expect(rotated.connection.signing_secrets).toEqual([{ fingerprint: fingerprint(NEXT_SECRET) }, { fingerprint: fingerprint(SECRET) }]);
      expect(rotated.connection.base_url).toBe('https://new.example.com');
      const short = await expectProblem(await call('PATCH', `/remote-systems/${remote.sys_id}`, { connection: { signing_secrets: ['too-short-secret'] } }), 400, 'invalid-body');
      expect(JSON.stringify(short)).not.toContain('too-short-secret');
      const withCredentials = await expectProblem(await call('PATCH', `/remote-systems/${remote.sys_id}`, { connection: { base_url: 'https://u:p@x.example.com' } }), 400, 'invalid-body');
      expect(withCredentials.errors).toEqual([expect.objectContaining({ path: 'body.connection.base_url' })]);
    });

    it('may be disabled but not activated or errored through the API', async () => {
      for (const state of ['active', 'error']) {
        const problem = await expectProblem(await call('POST', '/remote-systems', remoteSystemBody(def, { outbound_state: state })), 400, 'state-not-writable');
        expect(problem.detail).toContain('Validate and Activate');
        expect(problem.errors).toEqual([expect.objectContaining({ path: 'body.outbound_state' })]);
      }
      const remote = await create('remote-systems', remoteSystemBody(def, { inbound_state: 'disabled' }));
      await expectProblem(await call('PATCH', `/remote-systems/${remote.sys_id}`, { inbound_state: 'active' }), 400, 'state-not-writable');
      expect(await patch('remote-systems', remote.sys_id, { outbound_state: 'disabled' })).toMatchObject({ outbound_state: 'disabled', inbound_state: 'disabled' });
      expect((await call('GET', `/remote-systems?process_sync_definition=${def}`)).headers.get('x-total-count')).toBe('1');
    });
  });

  describe('references', () => {
    async function refused(kind: string, body: Body, path: string, says: string) {
      const problem = await expectProblem(await call('POST', `/${kind}`, body), 422, 'invalid-reference');
      expect(problem.errors).toEqual([{ path, message: expect.stringContaining(says) }]);
    }

    it('must be to records of the same definition', async () => {
      const mine = await integration();
      const theirs = await integration();
      await refused('process-events', { process_sync_definition: sysId(), name: 'x' }, 'body.process_sync_definition', 'no process sync definition');
      const capture = { process_sync_definition: mine.def, process_event: theirs.event.sys_id, source_table: 'incident' };
      await refused('capture-definitions', capture, 'body.process_event', 'belongs to another process sync definition');
      await refused('capture-definitions', { ...capture, process_event: sysId() }, 'body.process_event', 'no process event');
      await refused('outbound-flows', { ...mine.link, remote_system: theirs.remote.sys_id, subflow: subflows.outbound }, 'body.remote_system', 'belongs to another');
      const moved = await expectProblem(await call('PATCH', `/process-events/${mine.event.sys_id}`, { process_sync_definition: theirs.def }), 400, 'invalid-body');
      expect(moved.errors?.[0]?.message).toContain('cannot move to another process sync definition');
    });

    it('must name a table and fields of the dictionary', async () => {
      const { def, event } = await integration();
      const capture = { process_sync_definition: def, process_event: event.sys_id, source_table: 'incident' };
      await refused('capture-definitions', { ...capture, source_table: 'change_request' }, 'body.source_table', 'there is no table change_request');
      await refused('capture-definitions', { ...capture, include_fields: ['short_description', 'nope', 'nada'] }, 'body.include_fields', 'no fields nope, nada');
      const filter = { match: 'any', conditions: [{ field: 'colour', operator: 'is', value: 'red' }] };
      await refused('capture-definitions', { ...capture, filter }, 'body.filter', 'does not have: colour');
    });

    it('must be to users holding the roles they need', async () => {
      const { def } = await integration();
      const body = (overrides: Body) => remoteSystemBody(def, { name: sysId(), ...overrides });
      await refused('remote-systems', body({ inbound_api_user: users.itil.sysId }), 'body.inbound_api_user', 'does not have the role ih_process_sync_api');
      await refused('remote-systems', body({ run_as_user: users.itil.sysId }), 'body.run_as_user', 'grant it');
      await refused('remote-systems', body({ run_as_user: sysId() }), 'body.run_as_user', 'no user');
    });

    it('must be to published subflows of the right kind', async () => {
      const { def, link, remote } = await integration();
      await refused('outbound-flows', { ...link, subflow: subflows.inbound }, 'body.subflow', 'is of kind inbound; this needs one of kind outbound');
      await refused('outbound-flows', { ...link, subflow: subflows.draft }, 'body.subflow', 'has never been published');
      await refused('inbound-flows', { ...link, subflow: 'no-such-subflow' }, 'body.subflow', 'no subflow');
      await refused('remote-systems', remoteSystemBody(def, { name: 'Other', error_subflow: subflows.outbound }), 'body.error_subflow', 'one of kind error');
      const problem = await expectProblem(await call('PATCH', `/remote-systems/${remote.sys_id}`, { error_subflow: subflows.draft }), 422, 'invalid-reference');
      expect(problem.errors?.[0]?.path).toBe('body.error_subflow');
    });
  });

  describe('conflicts', () => {
    it('keep a definition, process event or remote system that records still point at', async () => {
      const { def, event, remote, capture, outbound, inbound } = await integration();
      const kept = await expectProblem(await call('DELETE', `/definitions/${def}`), 409, 'has-related-records');
      expect(kept.detail).toContain('1 capture definition, 1 process event, 1 remote system, 1 outbound flow, 1 inbound flow');
      expect(kept.errors).toContainEqual({ path: 'process_events', message: `"Consumer raises incident" (${event.sys_id})` });
      const used = await expectProblem(await call('DELETE', `/process-events/${event.sys_id}`), 409, 'has-related-records');
      expect(used.errors?.map((finding) => finding.path)).toEqual(['capture_definitions', 'outbound_flows', 'inbound_flows']);
      await expectProblem(await call('DELETE', `/remote-systems/${remote.sys_id}`), 409, 'has-related-records');
      for (const [kind, id] of [['capture-definitions', capture.sys_id], ['outbound-flows', outbound.sys_id], ['inbound-flows', inbound.sys_id]]) {
        await ok(await call('DELETE', `/${kind}/${id}`), 204);
      }
      await ok(await call('DELETE', `/process-events/${event.sys_id}`), 204);
    });

    it('refuse a second process event or remote system of one name, and a second outbound or inbound flow for one event and remote system', async () => {
      const { def, link, event, remote } = await integration();
      const again = await expectProblem(await call('POST', '/process-events', { process_sync_definition: def, name: event.name }), 409, 'duplicate');
      expect(again.detail).toContain('choose another name');
      await expectProblem(await call('POST', '/remote-systems', remoteSystemBody(def)), 409, 'duplicate');
      for (const kind of ['outbound', 'inbound'] as const) {
        const second = await expectProblem(await call('POST', `/${kind}-flows`, { ...link, subflow: subflows[kind] }), 409, 'duplicate');
        expect(second.detail).toBe(`remote system "${remote.name}" already has an ${kind} flow for process event "${event.name}"; edit that flow's subflow instead of adding another`);
      }
      // Nor may a change make one: a flow of another event, moved onto the taken pair.
      const otherEvent = await create('process-events', { process_sync_definition: def, name: 'Consumer closes incident' });
      const moved = await create('outbound-flows', { ...link, process_event: otherEvent.sys_id, subflow: subflows.outbound });
      await expectProblem(await call('PATCH', `/outbound-flows/${moved.sys_id}`, { process_event: event.sys_id }), 409, 'duplicate');
      expect(await patch('outbound-flows', moved.sys_id, { subflow: subflows.outbound, process_event: otherEvent.sys_id })).toMatchObject({ process_event: otherEvent.sys_id });
      const other = await create('definitions', { name: 'Another' });
      await create('process-events', { process_sync_definition: other.sys_id, name: event.name });
    });
  });

  describe('access', () => {
    it('is for ih_process_sync and admins; records take the creator’s domain unless given one below it', async () => {
      const mine = await ok(await call('POST', '/definitions', { name: 'Acme' }, users.designer.auth), 201);
      expect(mine.result).toMatchObject({ sys_domain: 'global/acme', sys_created_by: 'designer' });
      const given = await ok(await call('POST', '/definitions', { name: 'Acme EMEA', sys_domain: 'global/acme/emea' }, users.designer.auth), 201);
      expect(given.result.sys_domain).toBe('global/acme/emea');
      const forbidden = await expectProblem(await call('GET', '/definitions', undefined, users.itil.auth), 403, 'missing-role');
      expect(forbidden.detail).toContain('ih_process_sync');
      await expectProblem(await call('POST', '/definitions', { name: 'x' }, users.itil.auth), 403, 'missing-role');
      await expectProblem(await runtime.call('GET', `${SYNC}/definitions`, { auth: null }), 401, 'unauthenticated');
    });
  });
});
