import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDateTime } from '../../src/time.js';
import { expectProblem } from '../support/problem.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { createUser, issueToken, passwordOf, storedUsersAndTokens, USERS, type CreatedUser } from './user-support.js';

const DAY_MS = 86_400_000;
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime.dispose());

const me = (token: string) => runtime.call('GET', '/api/lockstep/v1/me', { auth: `Bearer ${token}` });

function daysFromNow(days: number): string {
  return toDateTime(new Date(Date.now() + days * DAY_MS));
}

/** How many days from now `dateTime` is. */
function daysAway(dateTime: string): number {
  return (Date.parse(`${dateTime.replace(' ', 'T')}Z`) - Date.now()) / DAY_MS;
}

describe('changing a user', () => {
  async function userWithToken(userName: string): Promise<{ user: CreatedUser; token: string }> {
    const user = await createUser(runtime, { user_name: userName, roles: ['itil'], sys_domain: 'global/acme' });
    const token = await issueToken(runtime, user);
    expect((await me(token)).status).toBe(200);
    return { user, token };
  }

  for (const [what, change] of [
    ['other roles', { roles: ['itil', 'ih_process_sync'] }],
    ['another domain', { sys_domain: 'global/acme/emea' }],
    ['deactivation', { active: false }],
  ] as const) {
    it(`revokes its tokens on ${what}`, async () => {
      const { user, token } = await userWithToken(`changed.${what.replaceAll(' ', '.')}`);
      expect((await runtime.call('PATCH', `${USERS}/${user.sys_id}`, { body: change })).status).toBe(200);
      await expectProblem(await me(token), 401, 'unauthenticated');
      expect(await runtime.store.collection('sys_api_token').countDocuments({ user_id: user.sys_id })).toBe(0);
    });
  }

  it('keeps its tokens when only its name, or the order of its roles, changes', async () => {
    const { user, token } = await userWithToken('renamed');
    await runtime.call('PATCH', `${USERS}/${user.sys_id}`, { body: { name: 'Renamed', roles: ['itil', 'itil'] } });
    expect((await me(token)).status).toBe(200);
  });

  it('revokes its tokens on a new password: the old token gets 401, and the new password can issue another', async () => {
    const { user, token } = await userWithToken('password.changed');
    await runtime.call('PATCH', `${USERS}/${user.sys_id}`, { body: { password: 'changed-password' } });
    await expectProblem(await me(token), 401, 'unauthenticated');
    const issued = await runtime.call('POST', `${USERS}/me/tokens`, { body: { name: 'again' }, auth: `Basic ${Buffer.from('password.changed:changed-password').toString('base64')}` });
    expect(issued.status).toBe(201);
    expect((await me((await issued.json()).result.token)).status).toBe(200);
  });
});

describe('revoking', () => {
  it("an admin revokes all of a user's tokens at once", async () => {
    const user = await createUser(runtime, { user_name: 'many.tokens', roles: ['itil'] });
    const tokens = [await issueToken(runtime, user), await issueToken(runtime, user)];
    expect((await runtime.call('DELETE', `${USERS}/${user.sys_id}/tokens`)).status).toBe(204);
    for (const token of tokens) await expectProblem(await me(token), 401, 'unauthenticated');
    expect((await (await runtime.call('GET', `${USERS}/${user.sys_id}/tokens`)).json()).result).toEqual([]);
  });

  it('a token that does not exist is 404, and no token goes', async () => {
    const user = await createUser(runtime, { user_name: 'one.token', roles: ['itil'] });
    await issueToken(runtime, user);
    const before = await storedUsersAndTokens(runtime);
    await expectProblem(await runtime.call('DELETE', `${USERS}/${user.sys_id}/tokens/${'0'.repeat(32)}`), 404, 'unknown-token');
    expect(await storedUsersAndTokens(runtime)).toEqual(before);
  });

  it('a user who is not an admin cannot revoke the tokens of another', async () => {
    const owner = await createUser(runtime, { user_name: 'token.owner', roles: ['itil'] });
    const other = await createUser(runtime, { user_name: 'token.neighbour', roles: ['itil'] });
    const token = await issueToken(runtime, owner);
    const before = await storedUsersAndTokens(runtime);
    await expectProblem(await runtime.call('DELETE', `${USERS}/${owner.sys_id}/tokens`, { auth: passwordOf(other) }), 403, 'missing-role');
    expect(await storedUsersAndTokens(runtime)).toEqual(before);
    expect((await me(token)).status).toBe(200);
  });
});

describe('the maximum lifetime', () => {
  it('is what a token gets when it names none', async () => {
    const user = await createUser(runtime, { user_name: 'default.lifetime' });
    const issued = await runtime.call('POST', `${USERS}/${user.sys_id}/tokens`, { body: { name: 'ci' } });
    expect(daysAway((await issued.json()).result.expires_on)).toBeCloseTo(90, 2);
  });

  it('cannot be exceeded: 400, and no token is stored', async () => {
    const user = await createUser(runtime, { user_name: 'long.lifetime' });
    const before = await storedUsersAndTokens(runtime);
    const problem = await expectProblem(await runtime.call('POST', `${USERS}/${user.sys_id}/tokens`, { body: { name: 'forever', expires_in_days: 91 } }), 400, 'invalid-body');
    expect(problem.errors?.[0]).toMatchObject({ path: 'body.expires_in_days', message: expect.stringContaining('at most 90 days') });
    expect(await storedUsersAndTokens(runtime)).toEqual(before);
  });

  it('bounds a stored token without an expiry, or with a later one, to its creation plus the maximum', async () => {
    const user = await createUser(runtime, { user_name: 'legacy.tokens', roles: ['itil'] });
    const stored = (token: string, createdDaysAgo: number, expiresOn: string | null) => ({
      user_id: user.sys_id,
      name: token,
      token_hash: createHash('sha256').update(token).digest('hex'),
      prefix: token.slice(0, 10),
      sys_created_on: daysFromNow(-createdDaysAgo),
      expires_on: expiresOn,
    });
    await runtime.store.collection('sys_api_token').insertMany([
      stored('lst_recent_without_expiry', 10, null),
      stored('lst_old_without_expiry', 91, null),
      stored('lst_old_with_late_expiry', 91, daysFromNow(3000)),
    ]);
    expect((await me('lst_recent_without_expiry')).status).toBe(200);
    await expectProblem(await me('lst_old_without_expiry'), 401, 'unauthenticated');
    await expectProblem(await me('lst_old_with_late_expiry'), 401, 'unauthenticated');
    const listed = (await (await runtime.call('GET', `${USERS}/${user.sys_id}/tokens`)).json()).result as { name: string; expires_on: string }[];
    expect(daysAway(listed.find((token) => token.name === 'lst_recent_without_expiry')?.expires_on ?? '')).toBeCloseTo(80, 2);
  });

  it('is a setting', async () => {
    const short = await startTestRuntime({ 'token-max-days': '7' });
    try {
      const issued = await short.call('POST', `${USERS}/me/tokens`, { body: { name: 'a week and a day', expires_in_days: 8 } });
      await expectProblem(issued, 400, 'invalid-body');
      expect(await short.store.collection('sys_api_token').countDocuments({})).toBe(0);
    } finally {
      await short.dispose();
    }
  });
});
