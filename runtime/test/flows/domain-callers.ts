import { expect } from 'vitest';
import { basic, type TestRuntime } from '../support/runtime.js';

const PASSWORD = 'a-password-for-domain-tests';

/** One user of a customer domain, as a test calls the API with it. */
export interface DomainCaller {
  sysId: string;
  auth: string;
  domain: string;
}

/** A user in `domain` with `roles`, made by the global admin. */
export async function domainCaller(runtime: TestRuntime, userName: string, domain: string, roles: string[]): Promise<DomainCaller> {
  const response = await runtime.call('POST', '/api/lockstep/v1/users', { body: { user_name: userName, password: PASSWORD, roles, sys_domain: domain } });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return { sysId: JSON.parse(text).result.sys_id, auth: basic(userName, PASSWORD), domain };
}

/** The JSON body of an answer with `status`, failing with the body when it has another. */
export async function answer(response: Response, status: number) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return text === '' ? undefined : JSON.parse(text);
}
