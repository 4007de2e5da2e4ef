import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { createUser, issueToken, passwordOf, storedUsersAndTokens, USERS, type CreatedUser } from './user-support.js';

let runtime: TestRuntime;
let acmeAdmin: CreatedUser;
let acmeAgent: CreatedUser;
let globexAgent: CreatedUser;
let globalAgent: CreatedUser;
let asAcmeAdmin: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  acmeAdmin = await createUser(runtime, { user_name: 'acme.admin', roles: ['admin'], sys_domain: 'global/acme' });
  acmeAgent = await createUser(runtime, { user_name: 'acme.agent', roles: ['itil'], sys_domain: 'global/acme/emea' });
  globexAgent = await createUser(runtime, { user_name: 'globex.agent', roles: ['itil'], sys_domain: 'global/globex' });
  globalAgent = await createUser(runtime, { user_name: 'global.agent', roles: ['itil'] });
  asAcmeAdmin = passwordOf(acmeAdmin);
});
afterAll(() => runtime.dispose());

/** Runs `attempt`, expects it refused with `status` and `slug`, and the users and tokens as they were. */
async function expectRefused(attempt: () => Promise<Response>, status: number, slug: string): Promise<string> {
  const before = await storedUsersAndTokens(runtime);
  const problem = await expectProblem(await attempt(), status, slug);
  expect(await storedUsersAndTokens(runtime)).toEqual(before);
  return problem.detail ?? '';
}

describe('a domain-scoped admin', () => {
  it('lists only the users of its domain tree', async () => {
    const listed = (await (await runtime.call('GET', USERS, { auth: asAcmeAdmin })).json()).result as CreatedUser[];
    expect(listed.map((user) => user.user_name)).toEqual(['acme.admin', 'acme.agent']);
  });

  it('answers a user of another domain, or above, as missing, for every route, and changes nothing', async () => {
    await issueToken(runtime, globexAgent);
    const tokens = `${USERS}/${globexAgent.sys_id}/tokens`;
    for (const [method, path, body] of [
      ['GET', `${USERS}/${globexAgent.sys_id}`, undefined],
      ['GET', `${USERS}/${globalAgent.sys_id}`, undefined],
      ['PATCH', `${USERS}/${globexAgent.sys_id}`, { password: 'taken-over-password' }],
      ['PATCH', `${USERS}/${globalAgent.sys_id}`, { roles: [] }],
      ['DELETE', `${USERS}/${globexAgent.sys_id}`, undefined],
      ['GET', tokens, undefined],
      ['POST', tokens, { name: 'stolen' }],
      ['DELETE', tokens, undefined],
    ] as const) {
      await expectRefused(() => runtime.call(method, path, { auth: asAcmeAdmin, ...(body === undefined ? {} : { body }) }), 404, 'unknown-user');
    }
  });

  it('reads and changes a user of its tree', async () => {
    const read = await runtime.call('GET', `${USERS}/${acmeAgent.sys_id}`, { auth: asAcmeAdmin });
    expect((await read.json()).result.user_name).toBe('acme.agent');
    const moved = await runtime.call('PATCH', `${USERS}/${acmeAgent.sys_id}`, { body: { sys_domain: 'global/acme/apac', name: 'Moved' }, auth: asAcmeAdmin });
    expect((await moved.json()).result).toMatchObject({ sys_domain: 'global/acme/apac', name: 'Moved' });
  });

  it('creates users in its own domain unless it names one below', async () => {
    const own = await createUser(runtime, { user_name: 'acme.new' }, asAcmeAdmin);
    expect(own.sys_domain).toBe('global/acme');
    const below = await createUser(runtime, { user_name: 'acme.emea.new', sys_domain: 'global/acme/emea' }, asAcmeAdmin);
    expect(below.sys_domain).toBe('global/acme/emea');
  });

  it('cannot create a user in another domain', async () => {
    const detail = await expectRefused(
      () => runtime.call('POST', USERS, { body: { user_name: 'acme.spy', password: 'spy-password', sys_domain: 'global/globex' }, auth: asAcmeAdmin }),
      403,
      'outside-domain',
    );
    expect(detail).toContain('Give the user global/acme or a domain below it');
  });

  it('cannot create an admin at global scope, nor any user there', async () => {
    const detail = await expectRefused(
      () => runtime.call('POST', USERS, { body: { user_name: 'acme.root', password: 'root-password', roles: ['admin'], sys_domain: 'global' }, auth: asAcmeAdmin }),
      403,
      'admin-above-domain',
    );
    expect(detail).toContain('ask an admin of global');
    await expectRefused(() => runtime.call('POST', USERS, { body: { user_name: 'acme.up', password: 'up-password', sys_domain: 'global' }, auth: asAcmeAdmin }), 403, 'outside-domain');
  });

  it('cannot move a user of its tree out of it, nor make it an admin above its domain', async () => {
    const path = `${USERS}/${acmeAgent.sys_id}`;
    await expectRefused(() => runtime.call('PATCH', path, { body: { sys_domain: 'global/globex' }, auth: asAcmeAdmin }), 403, 'outside-domain');
    await expectRefused(() => runtime.call('PATCH', path, { body: { sys_domain: 'global', roles: ['admin'] }, auth: asAcmeAdmin }), 403, 'admin-above-domain');
  });

  it('cannot widen its own domain', async () => {
    for (const sys_domain of ['global', 'acme']) {
      await expectRefused(() => runtime.call('PATCH', `${USERS}/me`, { body: { sys_domain }, auth: asAcmeAdmin }), 403, sys_domain === 'global' ? 'admin-above-domain' : 'outside-domain');
    }
  });
});

describe('roles', () => {
  it('an unknown role is 400, on create and on change, and nothing is written', async () => {
    const problem = await expectProblem(
      await runtime.call('POST', USERS, { body: { user_name: 'superuser', password: 'super-password', roles: ['itil', 'root'] } }),
      400,
      'invalid-body',
    );
    expect(problem.errors).toEqual([{ path: 'body.roles.1', message: expect.stringContaining('a role is one of admin, itil') }]);
    expect(await runtime.store.collection('sys_user').countDocuments({ user_name: 'superuser' })).toBe(0);
    await expectRefused(() => runtime.call('PATCH', `${USERS}/${globalAgent.sys_id}`, { body: { roles: ['superuser'] } }), 400, 'invalid-body');
  });

  it('a global admin still creates users in global when it names no domain', async () => {
    expect((await createUser(runtime, { user_name: 'global.new' })).sys_domain).toBe('global');
  });
});
