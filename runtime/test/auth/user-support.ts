import { expect } from 'vitest';
import { basic, type TestRuntime } from '../support/runtime.js';

export const USERS = '/api/lockstep/v1/users';

export interface CreatedUser {
  sys_id: string;
  user_name: string;
  sys_domain: string;
  roles: string[];
}

/** Creates a user as `auth` (the global admin by default) and returns it; its password is `<user_name>-password`. */
export async function createUser(runtime: TestRuntime, body: Record<string, unknown>, auth?: string): Promise<CreatedUser> {
  const response = await runtime.call('POST', USERS, { body: { password: `${String(body.user_name)}-password`, ...body }, ...(auth === undefined ? {} : { auth }) });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()).result as CreatedUser;
}

export function passwordOf(user: Pick<CreatedUser, 'user_name'>): string {
  return basic(user.user_name, `${user.user_name}-password`);
}

/** Issues an API token for `user` as the global admin and returns the secret. */
export async function issueToken(runtime: TestRuntime, user: Pick<CreatedUser, 'sys_id'>, body: Record<string, unknown> = { name: 'script' }): Promise<string> {
  const response = await runtime.call('POST', `${USERS}/${user.sys_id}/tokens`, { body });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()).result.token as string;
}

/** Every stored user and token, to show that a refused request changed nothing. */
export async function storedUsersAndTokens(runtime: TestRuntime): Promise<{ users: unknown[]; tokens: unknown[] }> {
  const [users, tokens] = await Promise.all([
    runtime.store.collection('sys_user').find({}, { sort: { _id: 1 } }),
    runtime.store.collection('sys_api_token').find({}, { sort: { _id: 1 } }),
  ]);
  return { users, tokens };
}

/** A call as `auth` that works in `domain` with the domain picker's header. */
export function callInDomain(runtime: TestRuntime, domain: string, method: string, path: string, auth: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { authorization: auth, 'x-lockstep-domain': domain };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${runtime.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
