import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { basic, describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';

describeOnEachStore('domain separation in the Table API', (variant) => {
  let runtime: TestRuntime;
  const agent = (domain: string) => ({ user_name: `agent.${domain.replaceAll('/', '.')}`, password: `password-of-${domain}`, roles: ['itil'], sys_domain: domain });
  const as = (domain: string) => basic(agent(domain).user_name, agent(domain).password);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    runtime = await startTestRuntime(variant.settings());
    for (const domain of ['global/acme', 'global/acme/emea', 'global/beta']) {
      expect((await runtime.call('POST', '/api/lockstep/v1/users', { body: agent(domain) })).status).toBe(201);
      // Each agent's record is made in the agent's domain.
      const created = await runtime.call('POST', '/api/now/table/incident', { body: { short_description: `raised in ${domain}` }, auth: as(domain) });
      ids[domain] = (await created.json()).result.sys_id;
    }
  });
  afterAll(() => runtime?.dispose());

  const listed = async (domain: string | null) => {
    const response = await runtime.call('GET', '/api/now/table/incident?sysparm_fields=short_description,sys_domain&sysparm_query=ORDERBYshort_description', domain === null ? {} : { auth: as(domain) });
    expect(response.status).toBe(200);
    return { records: (await response.json()).result as { short_description: string; sys_domain: string }[], total: response.headers.get('x-total-count') };
  };

  it('lists the records of the caller\'s domain and those below it, and counts only those', async () => {
    expect((await listed('global/acme')).records.map((record) => record.sys_domain)).toEqual(['global/acme', 'global/acme/emea']);
    expect(await listed('global/acme/emea')).toEqual({ records: [{ short_description: 'raised in global/acme/emea', sys_domain: 'global/acme/emea' }], total: '1' });
    expect((await listed('global/beta')).records.map((record) => record.sys_domain)).toEqual(['global/beta']);
    // The admin is in global, which covers every domain.
    expect((await listed(null)).records).toHaveLength(3);
  });

  it('answers a record of another domain as missing, to read, update or delete, and leaves it unchanged', async () => {
    const other = ids['global/beta']!;
    await expectProblem(await runtime.call('GET', `/api/now/table/incident/${other}`, { auth: as('global/acme') }), 404, 'no-such-record');
    await expectProblem(await runtime.call('PATCH', `/api/now/table/incident/${other}`, { body: { short_description: 'taken over' }, auth: as('global/acme') }), 404, 'no-such-record');
    await expectProblem(await runtime.call('DELETE', `/api/now/table/incident/${other}`, { auth: as('global/acme') }), 404, 'no-such-record');
    // A domain's parent is not below it: emea cannot reach acme's record.
    await expectProblem(await runtime.call('GET', `/api/now/table/incident/${ids['global/acme']}`, { auth: as('global/acme/emea') }), 404, 'no-such-record');
    const kept = await (await runtime.call('GET', `/api/now/table/incident/${other}`)).json();
    expect(kept.result.short_description).toBe('raised in global/beta');
  });

  it('lets a parent domain read and update a record of a child domain', async () => {
    const child = ids['global/acme/emea']!;
    const updated = await runtime.call('PATCH', `/api/now/table/incident/${child}`, { body: { priority: '2' }, auth: as('global/acme') });
    expect(updated.status).toBe(200);
    expect((await updated.json()).result).toMatchObject({ priority: '2', sys_domain: 'global/acme/emea' });
  });
});
