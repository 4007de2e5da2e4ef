import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { basic, describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const SYNC = '/api/lockstep/v1/sync';
const DEFINITIONS = `${SYNC}/definitions`;

describeOnEachStore('domain separation of the sync configuration', (variant) => {
  let runtime: TestRuntime;
  const integrator = (domain: string) => ({ user_name: `integrator.${domain.replaceAll('/', '.')}`, password: `password-of-${domain}`, roles: ['ih_process_sync'], sys_domain: domain });
  const as = (domain: string) => basic(integrator(domain).user_name, integrator(domain).password);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    runtime = await startTestRuntime(variant.settings());
    for (const domain of ['global/acme', 'global/beta']) {
      expect((await runtime.call('POST', '/api/lockstep/v1/users', { body: integrator(domain) })).status).toBe(201);
      const created = await runtime.call('POST', DEFINITIONS, { body: { name: `Incidents of ${domain}` }, auth: as(domain) });
      expect(created.status).toBe(201);
      const { result } = await created.json();
      // Made without a domain, a record takes its maker's.
      expect(result.sys_domain).toBe(domain);
      ids[domain] = result.sys_id;
    }
  });
  afterAll(() => runtime?.dispose());

  it("lists only the records of the caller's domain and those below it", async () => {
    const response = await runtime.call('GET', DEFINITIONS, { auth: as('global/acme') });
    expect((await response.json()).result.map((record: { name: string }) => record.name)).toEqual(['Incidents of global/acme']);
    expect(response.headers.get('x-total-count')).toBe('1');
    const all = await (await runtime.call('GET', DEFINITIONS)).json();
    expect(all.result).toHaveLength(2);
  });

  it("answers another domain's record as missing, and changes nothing", async () => {
    const beta = ids['global/beta']!;
    await expectProblem(await runtime.call('GET', `${DEFINITIONS}/${beta}`, { auth: as('global/acme') }), 404, 'unknown-definition');
    await expectProblem(await runtime.call('PATCH', `${DEFINITIONS}/${beta}`, { body: { name: 'Taken over' }, auth: as('global/acme') }), 404, 'unknown-definition');
    await expectProblem(await runtime.call('DELETE', `${DEFINITIONS}/${beta}`, { auth: as('global/acme') }), 404, 'unknown-definition');
    await expectProblem(await runtime.call('GET', `${DEFINITIONS}/${beta}/related`, { auth: as('global/acme') }), 404, 'unknown-definition');
    expect((await (await runtime.call('GET', `${DEFINITIONS}/${beta}`)).json()).result.name).toBe('Incidents of global/beta');
  });

  it('refuses to make a record above or beside the caller\'s domain', async () => {
    const problem = await expectProblem(await runtime.call('POST', DEFINITIONS, { body: { name: 'Everyone', sys_domain: 'global' }, auth: as('global/acme') }), 403, 'outside-domain');
    expect(problem.detail).toContain('global/acme');
    const below = await runtime.call('POST', DEFINITIONS, { body: { name: 'EMEA', sys_domain: 'global/acme/emea' }, auth: as('global/acme') });
    expect(below.status).toBe(201);
    const listed = await (await runtime.call('GET', DEFINITIONS)).json();
    expect(listed.result.map((record: { name: string }) => record.name)).not.toContain('Everyone');
  });

  /** Creates as the acme integrator and returns the record. */
  async function created(path: string, body: object): Promise<{ sys_id: string; sys_domain: string }> {
    const response = await runtime.call('POST', `${SYNC}/${path}`, { body, auth: as('global/acme') });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()).result;
  }

  async function stored(path: string, id: string): Promise<Record<string, unknown>> {
    return (await (await runtime.call('GET', `${SYNC}/${path}/${id}`)).json()).result;
  }

  it("puts a related record in its definition's domain, and refuses another", async () => {
    const acme = ids['global/acme']!;
    const event = await created('process-events', { name: 'Incident to case', process_sync_definition: acme });
    expect(event.sys_domain).toBe('global/acme');
    const problem = await expectProblem(
      await runtime.call('POST', `${SYNC}/process-events`, { body: { name: 'Elsewhere', process_sync_definition: acme, sys_domain: 'global/acme/emea' }, auth: as('global/acme') }),
      400,
      'domain-not-definitions',
    );
    expect(problem.errors?.[0]).toMatchObject({ path: 'body.sys_domain' });
    await expectProblem(await runtime.call('PATCH', `${SYNC}/process-events/${event.sys_id}`, { body: { sys_domain: 'global/beta' } }), 400, 'domain-not-definitions');
    expect(await stored('process-events', event.sys_id)).toMatchObject({ sys_domain: 'global/acme' });
    const names = (await (await runtime.call('GET', `${SYNC}/process-events?process_sync_definition=${acme}`)).json()).result.map((record: { name: string }) => record.name);
    expect(names).toEqual(['Incident to case']);
  });

  it("cannot hang a record under another domain's definition", async () => {
    const beta = ids['global/beta']!;
    for (const body of [{ name: 'Smuggled', process_sync_definition: beta }, { name: 'Smuggled', process_sync_definition: beta, sys_domain: 'global/acme' }]) {
      const problem = await expectProblem(await runtime.call('POST', `${SYNC}/process-events`, { body, auth: as('global/acme') }), 422, 'invalid-reference');
      expect(problem.errors?.[0]).toMatchObject({ path: 'body.process_sync_definition' });
    }
    await expectProblem(
      await runtime.call('POST', `${SYNC}/process-events`, { body: { name: 'Smuggled', process_sync_definition: beta, sys_domain: 'global/beta' }, auth: as('global/acme') }),
      403,
      'outside-domain',
    );
    const events = (await (await runtime.call('GET', `${SYNC}/process-events?process_sync_definition=${beta}`)).json()).result;
    expect(events).toEqual([]);
  });

  it('moves a definition only inside the caller\'s domains, and only while nothing hangs on it', async () => {
    const lone = await created('definitions', { name: 'Moving' });
    await expectProblem(await runtime.call('PATCH', `${DEFINITIONS}/${lone.sys_id}`, { body: { sys_domain: 'global/beta' }, auth: as('global/acme') }), 403, 'outside-domain');
    expect(await stored('definitions', lone.sys_id)).toMatchObject({ sys_domain: 'global/acme' });
    const moved = await runtime.call('PATCH', `${DEFINITIONS}/${lone.sys_id}`, { body: { sys_domain: 'global/acme/emea' }, auth: as('global/acme') });
    expect(moved.status).toBe(200);
    await created('process-events', { name: 'Pinned', process_sync_definition: lone.sys_id });
    await expectProblem(await runtime.call('PATCH', `${DEFINITIONS}/${lone.sys_id}`, { body: { sys_domain: 'global/acme' }, auth: as('global/acme') }), 409, 'definition-has-related-records');
    expect(await stored('definitions', lone.sys_id)).toMatchObject({ sys_domain: 'global/acme/emea' });
  });

  it("refuses another domain's users and subflows as a remote system's and a flow's", async () => {
    const acme = ids['global/acme']!;
    const user = async (user_name: string, roles: string[], sys_domain: string) => {
      const response = await runtime.call('POST', '/api/lockstep/v1/users', { body: { user_name, roles, sys_domain, password: 'a-long-enough-password' } });
      expect(response.status).toBe(201);
      return (await response.json()).result.sys_id as string;
    };
    const betaApi = await user('beta.api', ['ih_process_sync_api'], 'global/beta');
    const betaRunAs = await user('beta.run_as', ['ih_process_sync_run_as'], 'global/beta');
    const acmeApi = await user('acme.api', ['ih_process_sync_api'], 'global/acme');
    const acmeRunAs = await user('acme.run_as', ['ih_process_sync_run_as'], 'global/acme');
    const remote = (inbound_api_user: string, run_as_user: string) => ({
      process_sync_definition: acme,
      name: `Provider ${inbound_api_user.slice(0, 6)}`,
      connection: { base_url: 'https://provider.example.com', user_name: 'consumer.api', password: 'peer-password', signing_secrets: ['s'.repeat(32)] },
      inbound_api_user,
      run_as_user,
    });
    const refused = await expectProblem(await runtime.call('POST', `${SYNC}/remote-systems`, { body: remote(betaApi, betaRunAs), auth: as('global/acme') }), 422, 'invalid-reference');
    expect(refused.errors?.map((finding) => finding.path).sort()).toEqual(['body.inbound_api_user', 'body.run_as_user']);
    const system = await created('remote-systems', remote(acmeApi, acmeRunAs));
    expect(system.sys_domain).toBe('global/acme');
    await expectProblem(await runtime.call('PATCH', `${SYNC}/remote-systems/${system.sys_id}`, { body: { run_as_user: betaRunAs }, auth: as('global/acme') }), 422, 'invalid-reference');
    expect(await stored('remote-systems', system.sys_id)).toMatchObject({ run_as_user: acmeRunAs });
    // Validate and Activate of another domain's remote system is answered as missing.
    await expectProblem(await runtime.call('POST', `${SYNC}/remote-systems/${system.sys_id}/activate`, { auth: as('global/beta') }), 404, 'unknown-remote-system');

    // A subflow of beta's, published there, is not one acme may use; the global template is.
    const copy = await runtime.call('POST', '/api/lockstep/v1/subflows/outbound-basic/copy', { body: { name: 'Beta outbound' }, auth: as('global/beta') });
    expect(copy.status).toBe(201);
    const etag = copy.headers.get('etag') ?? '';
    const betaSubflow = (await copy.json()).result;
    expect(betaSubflow.sys_domain).toBe('global/beta');
    const published = await fetch(`${runtime.url}/api/lockstep/v1/subflows/${betaSubflow.id}/publish`, { method: 'POST', headers: { authorization: as('global/beta'), 'if-match': etag } });
    expect(published.status, await published.clone().text()).toBe(201);
    const event = await created('process-events', { name: 'Flows', process_sync_definition: acme });
    const flow = { process_sync_definition: acme, process_event: event.sys_id, remote_system: system.sys_id };
    const foreign = await expectProblem(await runtime.call('POST', `${SYNC}/outbound-flows`, { body: { ...flow, subflow: betaSubflow.id }, auth: as('global/acme') }), 422, 'invalid-reference');
    expect(foreign.errors?.[0]).toMatchObject({ path: 'body.subflow' });
    const template = await created('outbound-flows', { ...flow, subflow: 'outbound-basic' });
    expect(template.sys_domain).toBe('global/acme');
  });
});
