import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { basic, describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const DEFINITIONS = '/api/lockstep/v1/sync/definitions';

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
});
