import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, basic, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { expectProblem } from '../support/problem.js';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime.dispose());

async function createUser(body: Record<string, unknown>) {
  const response = await runtime.call('POST', '/api/lockstep/v1/users', { body });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()).result as { sys_id: string; user_name: string; has_password: boolean };
}

describe('users', () => {
  it('an itil user works incidents, and the record says who did it', async () => {
    await createUser({ user_name: 'beth.agent', password: 'beth-password', roles: ['itil'], sys_domain: 'global/acme' });
    const auth = basic('beth.agent', 'beth-password');
    const response = await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'by beth', comments: 'hello' }, auth });
    const { result } = await response.json();
    expect(result).toMatchObject({ sys_created_by: 'beth.agent', sys_domain: 'global/acme' });
    expect(result.comments[0].created_by).toBe('beth.agent');
  });

  it('never shows a password hash', async () => {
    const user = await createUser({ user_name: 'no.hash', password: 'secret-password', roles: [] });
    expect(user.has_password).toBe(true);
    const listed = await (await runtime.call('GET', '/api/lockstep/v1/users')).text();
    expect(listed).not.toContain('password_hash');
    expect(listed).not.toContain('scrypt');
  });

  it('refuses a second user with the same name with 409', async () => {
    await createUser({ user_name: 'twin', password: 'twin-password' });
    await expectProblem(await runtime.call('POST', '/api/lockstep/v1/users', { body: { user_name: 'twin', password: 'other-password' } }), 409, 'duplicate');
  });

  it('rejects an invalid user with every finding', async () => {
    const problem = await expectProblem(
      await runtime.call('POST', '/api/lockstep/v1/users', { body: { user_name: 'bad name', password: 'short', roles: ['Not A Role'], extra: 1 } }),
      400,
      'invalid-body',
    );
    expect(problem.errors?.map((finding) => finding.path).sort()).toEqual(['body', 'body.password', 'body.roles.0', 'body.user_name']);
  });

  it('a deactivated user can no longer authenticate; a new password replaces the old', async () => {
    const user = await createUser({ user_name: 'leaver', password: 'leaver-password', roles: ['itil'] });
    expect((await runtime.call('GET', '/api/now/table/incident', { auth: basic('leaver', 'leaver-password') })).status).toBe(200);
    await runtime.call('PATCH', `/api/lockstep/v1/users/${user.sys_id}`, { body: { password: 'new-leaver-password' } });
    await expectProblem(await runtime.call('GET', '/api/now/table/incident', { auth: basic('leaver', 'leaver-password') }), 401, 'unauthenticated');
    expect((await runtime.call('GET', '/api/now/table/incident', { auth: basic('leaver', 'new-leaver-password') })).status).toBe(200);
    await runtime.call('PATCH', `/api/lockstep/v1/users/${user.sys_id}`, { body: { active: false } });
    await expectProblem(await runtime.call('GET', '/api/now/table/incident', { auth: basic('leaver', 'new-leaver-password') }), 401, 'unauthenticated');
  });

  it('only admins manage other users', async () => {
    await createUser({ user_name: 'plain', password: 'plain-password', roles: ['itil'] });
    const refused = await expectProblem(await runtime.call('GET', '/api/lockstep/v1/users', { auth: basic('plain', 'plain-password') }), 403, 'missing-role');
    // Admin is named once, not "one of the roles admin or admin".
    expect(refused.detail).toBe('listing users needs the role admin; user plain has itil. Ask an admin to grant one.');
    const me = await (await runtime.call('GET', '/api/lockstep/v1/users/me', { auth: basic('plain', 'plain-password') })).json();
    expect(me.result.user_name).toBe('plain');
  });

  it('an admin cannot delete themselves', async () => {
    const me = (await (await runtime.call('GET', '/api/lockstep/v1/me')).json()).result;
    expect(me.userName).toBe(ADMIN.user);
    await expectProblem(await runtime.call('DELETE', `/api/lockstep/v1/users/${me.sysId}`), 409, 'cannot-delete-self');
  });
});

describe('API tokens', () => {
  it('authenticate as their user until revoked, and are shown only once', async () => {
    await createUser({ user_name: 'robot', roles: ['itil'] });
    const robotAuth = await runtime.call('GET', '/api/now/table/incident', { auth: basic('robot', '') });
    await expectProblem(robotAuth, 401, 'unauthenticated');

    const users = (await (await runtime.call('GET', '/api/lockstep/v1/users')).json()).result as { sys_id: string; user_name: string }[];
    const robot = users.find((user) => user.user_name === 'robot');
    const issued = await runtime.call('POST', `/api/lockstep/v1/users/${robot?.sys_id}/tokens`, { body: { name: 'ci', expires_in_days: 30 } });
    expect(issued.status).toBe(201);
    const { token, sys_id: tokenId } = (await issued.json()).result;
    expect(token).toMatch(/^lst_/);

    const created = await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'by token' }, auth: `Bearer ${token}` });
    expect((await created.json()).result.sys_created_by).toBe('robot');
    const listed = await (await runtime.call('GET', `/api/lockstep/v1/users/${robot?.sys_id}/tokens`)).text();
    expect(listed).not.toContain(token);
    expect(listed).toContain('"name":"ci"');

    expect((await runtime.call('DELETE', `/api/lockstep/v1/users/${robot?.sys_id}/tokens/${tokenId}`)).status).toBe(204);
    await expectProblem(await runtime.call('GET', '/api/now/table/incident', { auth: `Bearer ${token}` }), 401, 'unauthenticated');
  });

  it('a user may issue a token for themselves', async () => {
    await createUser({ user_name: 'self.service', password: 'self-password', roles: ['itil'] });
    const issued = await runtime.call('POST', '/api/lockstep/v1/users/me/tokens', { body: { name: 'laptop' }, auth: basic('self.service', 'self-password') });
    const { token } = (await issued.json()).result;
    expect((await runtime.call('GET', '/api/lockstep/v1/me', { auth: `Bearer ${token}` }).then((r) => r.json())).result.userName).toBe('self.service');
  });

  it('an unknown token is 401', async () => {
    await expectProblem(await runtime.call('GET', '/api/now/table/incident', { auth: 'Bearer lst_unknown' }), 401, 'unauthenticated');
  });
});
