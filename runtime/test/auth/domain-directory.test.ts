import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { ADMIN, basic } from '../support/runtime.js';
import { callInDomain, createUser, passwordOf } from './user-support.js';

const DOMAINS = '/api/lockstep/v1/domains';
const subflow = {
  name: 'Log only',
  kind: 'custom',
  nodes: [
    { id: 'start', type: 'flow.start' },
    { id: 'end', type: 'flow.end' },
  ],
  edges: [{ id: 'start-end', source: 'start', target: 'end' }],
};

let runtime: TestRuntime;
let acmeAdmin: string;
beforeAll(async () => {
  runtime = await startTestRuntime();
  acmeAdmin = passwordOf(await createUser(runtime, { user_name: 'acme.admin', roles: ['admin'], sys_domain: 'global/acme' }));
  await createUser(runtime, { user_name: 'paris.agent', roles: ['itil'], sys_domain: 'global/acme/emea/paris' });
  await createUser(runtime, { user_name: 'globex.agent', roles: ['itil'], sys_domain: 'global/globex' });
  const definition = await runtime.call('POST', '/api/lockstep/v1/sync/definitions', { body: { name: 'Acme north', sys_domain: 'global/acme/na' } });
  expect(definition.status, await definition.clone().text()).toBe(201);
  // A subflow lives in the domain its maker works in.
  const drawn = await callInDomain(runtime, 'global/acme/apac', 'POST', '/api/lockstep/v1/subflows', basic(ADMIN.user, ADMIN.password), subflow);
  expect(drawn.status, await drawn.clone().text()).toBe(201);
});
afterAll(() => runtime.dispose());

const names = (result: { name: string }[]) => result.map((domain) => domain.name);

describe('GET /domains', () => {
  it('lists, in tree order, the domains under the home domain where users, definitions or subflows live, with those between', async () => {
    const { result } = await (await runtime.call('GET', DOMAINS, { auth: acmeAdmin })).json();
    expect(result).toEqual([
      { name: 'global/acme', parent: 'global', label: 'acme', depth: 0 },
      { name: 'global/acme/apac', parent: 'global/acme', label: 'apac', depth: 1 },
      { name: 'global/acme/emea', parent: 'global/acme', label: 'emea', depth: 1 },
      { name: 'global/acme/emea/paris', parent: 'global/acme/emea', label: 'paris', depth: 2 },
      { name: 'global/acme/na', parent: 'global/acme', label: 'na', depth: 1 },
    ]);
  });

  it('starts from global for a global admin', async () => {
    const { result } = await (await runtime.call('GET', DOMAINS)).json();
    expect(names(result)).toEqual(['global', 'global/acme', 'global/acme/apac', 'global/acme/emea', 'global/acme/emea/paris', 'global/acme/na', 'global/globex']);
    expect(result[0]).toEqual({ name: 'global', parent: null, label: 'global', depth: 0 });
  });

  it('lists from the home domain even when the request narrowed to one below, so the picker can widen back', async () => {
    const { result } = await (await callInDomain(runtime, 'global/acme/emea', 'GET', DOMAINS, acmeAdmin)).json();
    expect(names(result)[0]).toBe('global/acme');
  });

  it('needs admin or ih_process_sync', async () => {
    await expectProblem(await runtime.call('GET', DOMAINS, { auth: basic('paris.agent', 'paris.agent-password') }), 403, 'missing-role');
    const integrator = await createUser(runtime, { user_name: 'globex.integrator', roles: ['ih_process_sync'], sys_domain: 'global/globex' });
    const { result } = await (await runtime.call('GET', DOMAINS, { auth: passwordOf(integrator) })).json();
    expect(names(result)).toEqual(['global/globex']);
  });
});
