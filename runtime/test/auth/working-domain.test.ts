import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { callInDomain, createUser, passwordOf, storedUsersAndTokens, USERS, type CreatedUser } from './user-support.js';

let runtime: TestRuntime;
let acmeAdmin: string;
let emeaAgent: CreatedUser;
beforeAll(async () => {
  runtime = await startTestRuntime();
  acmeAdmin = passwordOf(await createUser(runtime, { user_name: 'acme.admin', roles: ['admin'], sys_domain: 'global/acme' }));
  emeaAgent = await createUser(runtime, { user_name: 'emea.agent', roles: ['itil'], sys_domain: 'global/acme/emea' });
  await createUser(runtime, { user_name: 'apac.agent', roles: ['itil'], sys_domain: 'global/acme/apac' });
});
afterAll(() => runtime.dispose());

describe('X-Lockstep-Domain', () => {
  it('narrows the domain a request works in; /me shows it and the home domain', async () => {
    const me = await (await callInDomain(runtime, 'global/acme/emea', 'GET', '/api/lockstep/v1/me', acmeAdmin)).json();
    expect(me.result).toMatchObject({ userName: 'acme.admin', domain: 'global/acme/emea', home_domain: 'global/acme' });
    const own = await (await runtime.call('GET', '/api/lockstep/v1/me', { auth: acmeAdmin })).json();
    expect(own.result).toMatchObject({ domain: 'global/acme', home_domain: 'global/acme' });
  });

  it('narrows what an admin sees and where it creates', async () => {
    const listed = await (await callInDomain(runtime, 'global/acme/emea', 'GET', USERS, acmeAdmin)).json();
    expect(listed.result.map((user: CreatedUser) => user.user_name)).toEqual(['emea.agent']);
    const created = await callInDomain(runtime, 'global/acme/emea', 'POST', USERS, acmeAdmin, { user_name: 'emea.new', password: 'emea-new-password' });
    expect((await created.json()).result.sys_domain).toBe('global/acme/emea');
  });

  it('lets any user narrow, not only admins', async () => {
    const me = await (await callInDomain(runtime, 'global/acme/emea/paris', 'GET', '/api/lockstep/v1/me', passwordOf(emeaAgent))).json();
    expect(me.result.domain).toBe('global/acme/emea/paris');
  });

  it('cannot widen: a domain above or beside the home domain is 403, and nothing is written', async () => {
    for (const domain of ['global', 'global/globex', 'global/acme2']) {
      const before = await storedUsersAndTokens(runtime);
      const attempt = await callInDomain(runtime, domain, 'POST', USERS, acmeAdmin, { user_name: `widened.${domain.length}`, password: 'widened-password', sys_domain: domain });
      const problem = await expectProblem(attempt, 403, 'outside-domain');
      expect(problem.detail).toContain('pick global/acme or a domain below it');
      expect(await storedUsersAndTokens(runtime)).toEqual(before);
    }
  });

  it('must be a domain path: 400 otherwise, and nothing is written', async () => {
    for (const domain of ['Global/Acme', 'global/', '../global']) {
      const before = await storedUsersAndTokens(runtime);
      const attempt = await callInDomain(runtime, domain, 'POST', `${USERS}/me/tokens`, acmeAdmin, { name: 'narrowed' });
      const problem = await expectProblem(attempt, 400, 'invalid-header');
      expect(problem.errors?.[0]?.path).toBe('X-Lockstep-Domain');
      expect(await storedUsersAndTokens(runtime)).toEqual(before);
    }
  });

  it('leaves the credentials check first: bad credentials are 401 whatever the header', async () => {
    await expectProblem(await callInDomain(runtime, 'global', 'GET', '/api/lockstep/v1/me', 'Bearer lst_unknown'), 401, 'unauthenticated');
  });
});
