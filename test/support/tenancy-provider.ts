import { expect } from 'vitest';
import { basic } from '../../runtime/test/support/runtime.js';

export const USERS = '/api/lockstep/v1/users';
export const SYNC = '/api/lockstep/v1/sync';
export const SUBFLOWS = '/api/lockstep/v1/subflows';

/** A user of the provider's, by the name it signs in with. */
export interface TenantUser {
  userName: string;
  password: string;
  sysId: string;
}

/** One instance's HTTP API, called as one user after another. */
export class InstanceApi {
  constructor(readonly url: string) {}

  call(auth: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** The `result` of a call that must answer `status`. */
  async result<T = Record<string, unknown>>(auth: string, method: string, path: string, body?: unknown, status = method === 'POST' ? 201 : 200): Promise<T> {
    const response = await this.call(auth, method, path, body);
    const text = await response.text();
    expect(response.status, `${method} ${path}: ${text}`).toBe(status);
    return (JSON.parse(text) as { result: T }).result;
  }
}

export const authOf = (user: Pick<TenantUser, 'userName' | 'password'>): string => basic(user.userName, user.password);

/** Creates a user as `admin` and returns how to sign in as it. */
export async function createTenantUser(api: InstanceApi, admin: string, userName: string, roles: string[], domain: string): Promise<TenantUser> {
  const password = `password-of-${userName}`;
  const { sys_id } = await api.result<{ sys_id: string }>(admin, 'POST', USERS, { user_name: userName, password, roles, sys_domain: domain });
  return { userName, password, sysId: sys_id };
}

/** Every user as the global admin sees them: what a refused user change must leave as it was. */
export async function usersSnapshot(api: InstanceApi, admin: string): Promise<unknown[]> {
  return api.result<unknown[]>(admin, 'GET', USERS);
}

/** Every configuration record of the six kinds, as the global admin sees them. */
export async function configSnapshot(api: InstanceApi, admin: string): Promise<Record<string, unknown[]>> {
  const kinds = ['definitions', 'process-events', 'capture-definitions', 'remote-systems', 'outbound-flows', 'inbound-flows'];
  const lists = await Promise.all(kinds.map((kind) => api.result<unknown[]>(admin, 'GET', `${SYNC}/${kind}?limit=1000`)));
  return Object.fromEntries(kinds.map((kind, index) => [kind, lists[index]!]));
}

/** Copies `source` (a template or another subflow) or creates `graph` as `auth`, publishes it, and returns its id. */
export async function publishedSubflow(api: InstanceApi, auth: string, from: { copyOf: string } | { graph: object }): Promise<string> {
  const made = 'copyOf' in from ? await api.call(auth, 'POST', `${SUBFLOWS}/${from.copyOf}/copy`, {}) : await api.call(auth, 'POST', SUBFLOWS, from.graph);
  const text = await made.text();
  expect(made.status, text).toBe(201);
  const { id } = (JSON.parse(text) as { result: { id: string } }).result;
  const published = await api.call(auth, 'POST', `${SUBFLOWS}/${id}/publish`, undefined, { 'if-match': made.headers.get('etag') ?? '' });
  expect(published.status, await published.text()).toBe(201);
  return id;
}
