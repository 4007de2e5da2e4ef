import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { ADMIN, basic, describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const BASE = '/api/lockstep/v1/subflows';

/** A graph that publishes: Start → Log → End. */
function logGraph(message = '{{ inputs.message }}') {
  return {
    name: 'Log the message',
    kind: 'custom',
    inputs: [{ name: 'message', type: 'string' }],
    nodes: [
      { id: 'start', type: 'flow.start' },
      { id: 'log', type: 'flow.log', params: { message } },
      { id: 'end', type: 'flow.end' },
    ],
    edges: [
      { id: 'start-log', source: 'start', target: 'log' },
      { id: 'log-end', source: 'log', target: 'end' },
    ],
  };
}

/** Well formed, but its Create record has no table: saves, does not publish. */
const unfinishedGraph = {
  name: 'Half drawn',
  kind: 'inbound',
  nodes: [
    { id: 'start', type: 'flow.start' },
    { id: 'create', type: 'record.create', params: { table: '' } },
    { id: 'end', type: 'flow.end' },
  ],
  edges: [
    { id: 'start-create', source: 'start', target: 'create' },
    { id: 'create-end', source: 'create', target: 'end' },
  ],
};

interface Options {
  body?: unknown;
  ifMatch?: string;
  auth?: string;
}

describeOnEachStore('the subflow API', (variant) => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime(variant.settings());
  });
  afterAll(() => runtime.dispose());

  // The harness's call() sends no custom headers; drafts need If-Match.
  function send(method: string, path: string, options: Options = {}): Promise<Response> {
    const headers: Record<string, string> = { authorization: options.auth ?? basic(ADMIN.user, ADMIN.password) };
    if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${runtime.url}${BASE}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  }

  async function ok(response: Response, status: number) {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    return JSON.parse(text);
  }

  async function createDraft(graph: unknown = logGraph()): Promise<{ id: string; etag: string }> {
    const response = await send('POST', '', { body: graph });
    const { result } = await ok(response, 201);
    return { id: result.id, etag: response.headers.get('etag') ?? '' };
  }

  async function draft(id: string) {
    const response = await send('GET', `/${id}`);
    return { ...(await ok(response, 200)).result, etag: response.headers.get('etag') };
  }

  async function versionNumbers(id: string): Promise<number[]> {
    return (await ok(await send('GET', `/${id}/versions`), 200)).result.map((version: { version: number }) => version.version);
  }

  describe('drafts', () => {
    it('creates a draft at revision 1 with its ETag, Location and findings', async () => {
      const response = await send('POST', '', { body: logGraph() });
      const body = await ok(response, 201);
      expect(body.result).toMatchObject({ name: 'Log the message', kind: 'custom', status: 'draft', version: 1, system: false, revision: 1, latestVersion: null, sys_created_by: 'admin' });
      expect(body.result.id).toMatch(/^[0-9a-f]{32}$/);
      expect(body.findings).toEqual([]);
      expect(response.headers.get('etag')).toBe('"1"');
      expect(response.headers.get('location')).toBe(`${BASE}/${body.result.id}`);
      expect((await draft(body.result.id)).nodes.map((node: { id: string }) => node.id)).toEqual(['start', 'log', 'end']);
    });

    it('saves with the current If-Match, and refuses a stale or missing one', async () => {
      const { id, etag } = await createDraft();
      await expectProblem(await send('PUT', `/${id}`, { body: logGraph('no precondition') }), 428, 'if-match-required');

      const saved = await send('PUT', `/${id}`, { body: { ...logGraph('second'), name: 'Renamed' }, ifMatch: etag });
      expect((await ok(saved, 200)).result).toMatchObject({ name: 'Renamed', revision: 2 });
      expect(saved.headers.get('etag')).toBe('"2"');

      const stale = await expectProblem(await send('PUT', `/${id}`, { body: logGraph('lost update'), ifMatch: etag }), 412, 'stale-revision');
      expect(stale.detail).toContain('reload');
      const current = await draft(id);
      expect(current).toMatchObject({ name: 'Renamed', revision: 2, etag: '"2"' });
      expect(current.nodes[1].params.message).toBe('second');
    });

    it('refuses a graph of the wrong shape with 400 and stores nothing', async () => {
      const { id, etag } = await createDraft();
      const badNode = { ...logGraph(), nodes: [{ id: '1st', type: 'flow.start' }] };
      const problem = await expectProblem(await send('PUT', `/${id}`, { body: badNode, ifMatch: etag }), 400, 'invalid-body');
      expect(problem.errors).toContainEqual(expect.objectContaining({ path: 'body.nodes.0.id' }));
      expect((await draft(id)).revision).toBe(1);

      await expectProblem(await send('POST', '', { body: { name: 'no kind', nodes: [], edges: [] } }), 400, 'invalid-body');
    });

    it('saves work in progress with its findings', async () => {
      const { id, etag } = await createDraft();
      const body = await ok(await send('PUT', `/${id}`, { body: unfinishedGraph, ifMatch: etag }), 200);
      expect(body.result.revision).toBe(2);
      expect(body.findings).toContainEqual(expect.objectContaining({ severity: 'error', code: 'invalid-param', nodeId: 'create', path: 'table' }));
    });

    it('validates the saved draft, or unsaved work sent in the body', async () => {
      const { id } = await createDraft(unfinishedGraph);
      const saved = await ok(await send('POST', `/${id}/validate`), 200);
      expect(saved.findings.map((finding: { code: string }) => finding.code)).toContain('invalid-param');
      expect(await ok(await send('POST', `/${id}/validate`, { body: logGraph() }), 200)).toEqual({ findings: [] });
      await expectProblem(await send('POST', `/${'0'.repeat(32)}/validate`), 404, 'unknown-subflow');
    });

    it('deletes a draft that was never published', async () => {
      const { id } = await createDraft();
      expect((await send('DELETE', `/${id}`)).status).toBe(204);
      await expectProblem(await send('GET', `/${id}`), 404, 'unknown-subflow');
    });

    it('keeps a subflow that has published versions, saying why', async () => {
      const { id, etag } = await createDraft();
      await ok(await send('POST', `/${id}/publish`, { ifMatch: etag }), 201);
      const problem = await expectProblem(await send('DELETE', `/${id}`), 409, 'subflow-published');
      expect(problem.detail).toContain('1 published version');
      expect(await versionNumbers(id)).toEqual([1]);
    });
  });

  describe('publishing', () => {
    it('freezes the draft into version 1, which later edits leave alone', async () => {
      const { id, etag } = await createDraft(logGraph('as published'));
      await expectProblem(await send('POST', `/${id}/publish`), 428, 'if-match-required');

      const response = await send('POST', `/${id}/publish`, { ifMatch: etag });
      const published = await ok(response, 201);
      expect(published.result).toMatchObject({ id, version: 1, status: 'published', system: false, sys_created_by: 'admin' });
      expect(response.headers.get('location')).toBe(`${BASE}/${id}/versions/1`);
      expect(await draft(id)).toMatchObject({ status: 'draft', version: 2, latestVersion: 1, etag });

      await ok(await send('PUT', `/${id}`, { body: logGraph('edited afterwards'), ifMatch: etag }), 200);
      const version1 = (await ok(await send('GET', `/${id}/versions/1`), 200)).result;
      expect(version1.nodes[1].params.message).toBe('as published');
    });

    it('numbers versions in order and serves each', async () => {
      const { id, etag } = await createDraft();
      await ok(await send('POST', `/${id}/publish`, { ifMatch: etag }), 201);
      const saved = await send('PUT', `/${id}`, { body: logGraph('v2'), ifMatch: etag });
      await ok(await send('POST', `/${id}/publish`, { ifMatch: saved.headers.get('etag') ?? '' }), 201);
      expect(await versionNumbers(id)).toEqual([1, 2]);
      expect((await ok(await send('GET', `/${id}/versions/2`), 200)).result.nodes[1].params.message).toBe('v2');
      await expectProblem(await send('GET', `/${id}/versions/3`), 404, 'unknown-version');
      await expectProblem(await send('GET', `/${id}/versions/first`), 400, 'invalid-version');
    });

    it('refuses a stale draft with 412', async () => {
      const { id, etag } = await createDraft();
      await ok(await send('PUT', `/${id}`, { body: logGraph('newer'), ifMatch: etag }), 200);
      await expectProblem(await send('POST', `/${id}/publish`, { ifMatch: etag }), 412, 'stale-revision');
      expect(await versionNumbers(id)).toEqual([]);
    });

    it('refuses a draft with validation errors with 422 listing them, and stores nothing', async () => {
      const { id, etag } = await createDraft(unfinishedGraph);
      const problem = await expectProblem(await send('POST', `/${id}/publish`, { ifMatch: etag }), 422, 'invalid-subflow');
      expect(problem.errors).toContainEqual({ path: 'nodes.create.params.table', message: expect.stringContaining('"Create record" (create)') });
      expect(await versionNumbers(id)).toEqual([]);
      expect(await draft(id)).toMatchObject({ version: 1, latestVersion: null, revision: 1 });

      const endless = await createDraft({ ...logGraph(), nodes: [{ id: 'start', type: 'flow.start' }], edges: [] });
      const whole = await expectProblem(await send('POST', `/${endless.id}/publish`, { ifMatch: endless.etag }), 422, 'invalid-subflow');
      expect(whole.errors).toEqual([{ path: '(subflow)', message: expect.stringContaining('no End node') }]);
    });
  });

  describe('listing', () => {
    it('lists drafts and system subflows with their latest published version, filtered by kind and system', async () => {
      const { id } = await createDraft({ ...logGraph(), kind: 'outbound', name: 'Listed outbound' });
      const outbound = (await ok(await send('GET', '?kind=outbound'), 200)).result;
      expect(outbound.map((subflow: { id: string }) => subflow.id)).toEqual(expect.arrayContaining([id, 'outbound-basic']));
      expect(outbound.every((subflow: { kind: string }) => subflow.kind === 'outbound')).toBe(true);
      expect(outbound.find((subflow: { id: string }) => subflow.id === id)).toMatchObject({ status: 'draft', latestVersion: null });
      expect(outbound[0]).not.toHaveProperty('nodes');

      const userOnly = (await ok(await send('GET', '?system=false'), 200)).result;
      expect(userOnly.some((subflow: { system: boolean }) => subflow.system)).toBe(false);
      const problem = await expectProblem(await send('GET', '?kind=sideways'), 400, 'invalid-query');
      expect(problem.errors?.[0]?.path).toBe('query.kind');
    });
  });

  describe('system subflows', () => {
    it('lists the templates as published system subflows at version 1', async () => {
      const system = (await ok(await send('GET', '?system=true'), 200)).result;
      expect(system.map((subflow: { id: string }) => subflow.id).sort()).toEqual(['error-basic', 'inbound-basic', 'outbound-basic', 'remote-task-inbound', 'remote-task-outbound']);
      for (const subflow of system) expect(subflow).toMatchObject({ system: true, status: 'published', version: 1, latestVersion: 1, sys_created_by: 'system' });
      const inbound = await draft('inbound-basic');
      expect(inbound.inputs.map((input: { name: string }) => input.name)).toEqual(['payload', 'remoteSystem', 'table']);
      expect(await versionNumbers('inbound-basic')).toEqual([1]);
    });

    it('refuses to edit, delete or publish them: copy it to change it', async () => {
      const { etag } = await draft('outbound-basic');
      const attempts = [
        send('PUT', '/outbound-basic', { body: logGraph(), ifMatch: etag }),
        send('DELETE', '/outbound-basic'),
        send('POST', '/outbound-basic/publish', { ifMatch: etag }),
      ];
      for (const response of await Promise.all(attempts)) {
        expect((await expectProblem(response, 409, 'system-subflow')).detail).toContain('copy it to change it');
      }
      expect(await versionNumbers('outbound-basic')).toEqual([1]);
    });

    it('copies a template into a new draft that publishes', async () => {
      const response = await send('POST', '/outbound-basic/copy');
      const { result, findings } = await ok(response, 201);
      expect(result).toMatchObject({ name: 'Copy of Outbound Flow Template - Basic', kind: 'outbound', status: 'draft', system: false, version: 1, revision: 1 });
      expect(result.id).toMatch(/^[0-9a-f]{32}$/);
      expect(findings.filter((finding: { severity: string }) => finding.severity === 'error')).toEqual([]);
      expect(response.headers.get('location')).toBe(`${BASE}/${result.id}`);
      expect(result.nodes).toEqual((await draft('outbound-basic')).nodes);
      await ok(await send('POST', `/${result.id}/publish`, { ifMatch: response.headers.get('etag') ?? '' }), 201);
    });

    it('copies a chosen published version under a chosen name', async () => {
      const { id, etag } = await createDraft(logGraph('in version 1'));
      await ok(await send('POST', `/${id}/publish`, { ifMatch: etag }), 201);
      await ok(await send('PUT', `/${id}`, { body: logGraph('draft only'), ifMatch: etag }), 200);

      const copy = (await ok(await send('POST', `/${id}/copy`, { body: { name: 'From v1', version: 1 } }), 201)).result;
      expect(copy).toMatchObject({ name: 'From v1', status: 'draft', version: 1 });
      expect(copy.nodes[1].params.message).toBe('in version 1');
      await expectProblem(await send('POST', `/${id}/copy`, { body: { version: 9 } }), 404, 'unknown-version');
      await expectProblem(await send('POST', `/${id}/copy`, { body: { version: 'one' } }), 400, 'invalid-body');
    });
  });

  describe('access', () => {
    it('is for process designers and admins; an itil user gets 403', async () => {
      for (const [user, role] of [
        ['flow.designer', 'ih_process_sync'],
        ['only.itil', 'itil'],
      ]) {
        const created = await runtime.call('POST', '/api/lockstep/v1/users', { body: { user_name: user, password: `${user}-password`, roles: [role] } });
        expect(created.status).toBe(201);
      }
      const designer = basic('flow.designer', 'flow.designer-password');
      const itil = basic('only.itil', 'only.itil-password');

      expect((await ok(await send('POST', '', { body: logGraph(), auth: designer }), 201)).result.sys_created_by).toBe('flow.designer');
      await ok(await send('GET', '', { auth: designer }), 200);

      const forbidden = await expectProblem(await send('GET', '', { auth: itil }), 403, 'missing-role');
      expect(forbidden.detail).toContain('ih_process_sync');
      await expectProblem(await send('GET', '/outbound-basic', { auth: itil }), 403, 'missing-role');
      await expectProblem(await send('POST', '', { body: logGraph(), auth: itil }), 403, 'missing-role');
    });
  });
});
