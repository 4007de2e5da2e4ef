import { beforeAll, afterAll, expect, it } from 'vitest';
import { edge, node } from '../../../test/support/subflow-parts.js';
import { expectProblem } from '../support/problem.js';
import { basic, ADMIN, describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { answer, domainCaller, type DomainCaller } from './domain-callers.js';

const BASE = '/api/lockstep/v1/subflows';
const ACME = 'global/acme';
const GLOBEX = 'global/globex';

function logGraph(name: string) {
  return {
    name,
    kind: 'custom',
    nodes: [node('start', 'flow.start'), node('log', 'flow.log', { message: name }), node('end', 'flow.end')],
    edges: [edge('start', 'log'), edge('log', 'end')],
  };
}

/** Calls the subflow `id` and ends; a run's Call subflow step is what picks the subflow by domain. */
function callerGraph(id: string) {
  return {
    name: `Calls ${id}`,
    kind: 'custom',
    nodes: [node('start', 'flow.start'), node('call', 'flow.callSubflow', { subflow: id, inputs: {} }), node('end', 'flow.end')],
    edges: [edge('start', 'call'), edge('call', 'end')],
  };
}

describeOnEachStore('subflows by domain', (variant) => {
  let runtime: TestRuntime;
  let acme: DomainCaller;
  let globex: DomainCaller;
  /** Published, by the global admin: every customer may use it. */
  let shared: string;
  /** Published, by globex: acme never sees it. */
  let globexOwn: string;
  let acmeOwn: string;

  function send(method: string, path: string, options: { auth?: string; body?: unknown; ifMatch?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { authorization: options.auth ?? basic(ADMIN.user, ADMIN.password) };
    if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${runtime.url}${BASE}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  }

  async function published(graph: unknown, auth?: string): Promise<string> {
    const created = await send('POST', '', { body: graph, auth });
    const { result } = await answer(created, 201);
    await answer(await send('POST', `/${result.id}/publish`, { auth, ifMatch: created.headers.get('etag') ?? '' }), 201);
    return result.id;
  }

  /** The subflow as the admin reads it: what a refused change must have left alone. */
  const asAdmin = async (id: string) => (await answer(await send('GET', `/${id}`), 200)).result;

  beforeAll(async () => {
    runtime = await startTestRuntime(variant.settings());
    acme = await domainCaller(runtime, 'acme.designer', ACME, ['ih_process_sync']);
    globex = await domainCaller(runtime, 'globex.designer', GLOBEX, ['ih_process_sync']);
    shared = await published(logGraph('Shared by the provider'));
    globexOwn = await published(logGraph('Globex only'), globex.auth);
    acmeOwn = (await answer(await send('POST', '', { body: logGraph('Acme draft'), auth: acme.auth }), 201)).result.id;
  });
  afterAll(() => runtime.dispose());

  it("keeps each subflow in its creator's domain, and the system templates in global", async () => {
    expect(await asAdmin(shared)).toMatchObject({ sys_domain: 'global' });
    expect(await asAdmin(globexOwn)).toMatchObject({ sys_domain: GLOBEX });
    expect(await asAdmin(acmeOwn)).toMatchObject({ sys_domain: ACME });
    expect(await asAdmin('outbound-basic')).toMatchObject({ sys_domain: 'global', system: true });
    const versions = (await answer(await send('GET', `/${globexOwn}/versions`), 200)).result;
    expect(versions).toEqual([expect.objectContaining({ version: 1, sys_domain: GLOBEX })]);
  });

  it('lists for acme its own subflows, global ones and the templates, never globex ones', async () => {
    const listed: { id: string; sys_domain: string }[] = (await answer(await send('GET', '', { auth: acme.auth }), 200)).result;
    const ids = listed.map((subflow) => subflow.id);
    expect(ids).toEqual(expect.arrayContaining([shared, acmeOwn, 'outbound-basic', 'inbound-basic', 'error-basic']));
    expect(ids).not.toContain(globexOwn);
    expect(new Set(listed.map((subflow) => subflow.sys_domain))).toEqual(new Set(['global', ACME]));
    const everything = (await answer(await send('GET', ''), 200)).result.map((subflow: { id: string }) => subflow.id);
    expect(everything).toEqual(expect.arrayContaining([shared, acmeOwn, globexOwn]));
  });

  it("answers every request about another customer's subflow as if it did not exist, and changes nothing", async () => {
    const before = await asAdmin(globexOwn);
    const auth = acme.auth;
    const etag = `"${before.revision}"`;
    await expectProblem(await send('GET', `/${globexOwn}`, { auth }), 404, 'unknown-subflow');
    await expectProblem(await send('GET', `/${globexOwn}/versions`, { auth }), 404, 'unknown-subflow');
    await expectProblem(await send('GET', `/${globexOwn}/versions/1`, { auth }), 404, 'unknown-subflow');
    await expectProblem(await send('POST', `/${globexOwn}/validate`, { auth }), 404, 'unknown-subflow');
    await expectProblem(await send('POST', `/${globexOwn}/copy`, { auth, body: {} }), 404, 'unknown-subflow');
    await expectProblem(await send('POST', `/${globexOwn}/test-run`, { auth, body: { inputs: {} } }), 404, 'unknown-subflow');
    await expectProblem(await send('PUT', `/${globexOwn}`, { auth, body: logGraph('Taken over'), ifMatch: etag }), 404, 'unknown-subflow');
    await expectProblem(await send('POST', `/${globexOwn}/publish`, { auth, ifMatch: etag }), 404, 'unknown-subflow');
    await expectProblem(await send('DELETE', `/${globexOwn}`, { auth, ifMatch: etag }), 404, 'unknown-subflow');
    expect(await asAdmin(globexOwn)).toEqual(before);
    expect((await answer(await send('GET', `/${globexOwn}/versions`), 200)).result).toHaveLength(1);
  });

  it('lets acme read and copy a global subflow, but not save, publish or delete it: 403, saying to copy it', async () => {
    const auth = acme.auth;
    const before = await asAdmin(shared);
    const etag = `"${before.revision}"`;
    expect((await answer(await send('GET', `/${shared}`, { auth }), 200)).result).toMatchObject({ id: shared, sys_domain: 'global' });
    expect((await answer(await send('GET', `/${shared}/versions/1`, { auth }), 200)).result).toMatchObject({ version: 1 });
    expect(await answer(await send('POST', `/${shared}/validate`, { auth }), 200)).toEqual({ findings: [] });

    const refused = await expectProblem(await send('PUT', `/${shared}`, { auth, body: logGraph('Changed from below'), ifMatch: etag }), 403, 'parent-domain-subflow');
    expect(refused.detail).toContain(`belongs to domain global, above yours (${ACME})`);
    expect(refused.detail).toContain(`POST ${BASE}/${shared}/copy`);
    await expectProblem(await send('POST', `/${shared}/publish`, { auth, ifMatch: etag }), 403, 'parent-domain-subflow');
    await expectProblem(await send('DELETE', `/${shared}`, { auth, ifMatch: etag }), 403, 'parent-domain-subflow');
    await expectProblem(await send('PUT', '/outbound-basic', { auth, body: logGraph('Template changed'), ifMatch: '"1"' }), 403, 'parent-domain-subflow');
    expect(await asAdmin(shared)).toEqual(before);
    expect((await answer(await send('GET', `/${shared}/versions`), 200)).result).toHaveLength(1);

    const copied = await send('POST', `/${shared}/copy`, { auth, body: {} });
    const { result: copy } = await answer(copied, 201);
    expect(copy).toMatchObject({ name: 'Copy of Shared by the provider', sys_domain: ACME, sys_created_by: 'acme.designer' });
    const saved = await send('PUT', `/${copy.id}`, { auth, body: logGraph('Acme version'), ifMatch: copied.headers.get('etag') ?? '' });
    await answer(saved, 200);
    expect((await answer(await send('POST', `/${copy.id}/publish`, { auth, ifMatch: saved.headers.get('etag') ?? '' }), 201)).result).toMatchObject({ sys_domain: ACME });
  });

  it("lets a run call a subflow of its own domain or a parent's, and not another customer's", async () => {
    const caller = (await answer(await send('POST', '', { body: callerGraph(shared), auth: acme.auth }), 201)).result.id;
    const usesShared = (await answer(await send('POST', `/${caller}/test-run`, { auth: acme.auth, body: { inputs: {} } }), 201)).result;
    expect(usesShared).toMatchObject({ status: 'completed', sys_domain: ACME });

    const thief = (await answer(await send('POST', '', { body: callerGraph(globexOwn), auth: acme.auth }), 201)).result.id;
    const usesGlobex = (await answer(await send('POST', `/${thief}/test-run`, { auth: acme.auth, body: { inputs: {} } }), 201)).result;
    expect(usesGlobex).toMatchObject({ status: 'error', error: { node_id: 'call' } });
    expect(usesGlobex.error.message).toContain(`there is no published subflow ${globexOwn}`);

    // The provider's own runs may not lean on a customer's subflow either: it could change under them.
    const acmePublished = await published(logGraph('Acme published'), acme.auth);
    const provider = await published(callerGraph(acmePublished));
    const usesAcme = (await answer(await send('POST', `/${provider}/test-run`, { body: { inputs: {} } }), 201)).result;
    expect(usesAcme.steps.call).toMatchObject({ status: 'failed', error_code: 'outside_domain' });
    expect(usesAcme.steps.call.error).toContain(`is in domain ${ACME}, below global, where this run works`);
  });
});
