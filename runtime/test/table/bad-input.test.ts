import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basic, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { expectProblem } from '../support/problem.js';

let runtime: TestRuntime;
let existing: { sys_id: string; sys_mod_count: number };

async function snapshot(): Promise<string> {
  const response = await runtime.call('GET', '/api/now/table/task?sysparm_query=ORDERBYsys_id');
  return JSON.stringify((await response.json()).result);
}

beforeAll(async () => {
  runtime = await startTestRuntime();
  existing = (await (await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'keep me' } })).json()).result;
});
afterAll(() => runtime.dispose());

/** Every rejected request must leave the records exactly as they were. */
let before: string;
beforeEach(async () => {
  before = await snapshot();
  return async () => expect(await snapshot()).toBe(before);
});

describe('a rejected write changes nothing', () => {
  it('malformed JSON is 400 and says where it broke', async () => {
    const problem = await expectProblem(await runtime.call('POST', '/api/now/table/incident', { rawBody: '{"short_description": ' }), 400, 'malformed-json');
    expect(problem.detail).toContain('not valid JSON');
  });

  it('a body that is not an object is 400', async () => {
    await expectProblem(await runtime.call('POST', '/api/now/table/incident', { body: ['a'] }), 400, 'invalid-record');
  });

  it('a body in another media type is 415', async () => {
    await expectProblem(await runtime.call('POST', '/api/now/table/incident', { rawBody: 'short_description=x', contentType: 'application/x-www-form-urlencoded' }), 415, 'unsupported-media-type');
  });

  it('an unknown table is 404 and lists the tables', async () => {
    const problem = await expectProblem(await runtime.call('POST', '/api/now/table/nope', { body: {} }), 404, 'unknown-table');
    expect(problem.detail).toContain('incident');
  });

  it('unknown fields, wrong types, bad choices and system fields are each reported', async () => {
    const problem = await expectProblem(
      await runtime.call('POST', '/api/now/table/incident', {
        body: { bogus: 1, reassignment_count: 'many', priority: '9', active: 'maybe', sys_id: 'x', opened_at: '2026-02-31 10:00:00', assigned_to: 'bob', short_description: { a: 1 } },
      }),
      400,
      'invalid-record',
    );
    expect(Object.fromEntries((problem.errors ?? []).map((finding) => [finding.path, finding.message]))).toEqual({
      bogus: 'table incident has no field bogus',
      reassignment_count: 'expected a whole number, got "many"',
      priority: '"9" is not a choice; use one of 1, 2, 3, 4, 5',
      active: 'expected true or false, got "maybe"',
      sys_id: 'sys_id is set by the system and cannot be written',
      opened_at: expect.stringContaining('expected a date-time'),
      assigned_to: 'expected the sys_id (32 hex characters) of a sys_user record',
      short_description: 'expected a string value, got object',
    });
  });

  it('a too long string is 400 with the limit', async () => {
    const problem = await expectProblem(await runtime.call('PATCH', `/api/now/table/incident/${existing.sys_id}`, { body: { short_description: 'x'.repeat(161) } }), 400, 'invalid-record');
    expect(problem.errors?.[0]?.message).toBe('is 161 characters long; the most is 160');
  });

  it('an update of a record that is not there is 404, and a malformed sys_id is 400', async () => {
    await expectProblem(await runtime.call('PATCH', `/api/now/table/incident/${'a'.repeat(32)}`, { body: { state: '2' } }), 404, 'no-such-record');
    await expectProblem(await runtime.call('PATCH', '/api/now/table/incident/not-an-id', { body: { state: '2' } }), 400, 'invalid-sys-id');
  });
});

describe('bad queries', () => {
  it('a bad encoded query is 400 naming the term', async () => {
    const problem = await expectProblem(await runtime.call('GET', '/api/now/table/incident?sysparm_query=nofieldhere=1'), 400, 'invalid-query');
    expect(problem.errors?.[0]?.message).toContain('nofieldhere');
  });

  it('sysparm_fields with an unknown field is 400', async () => {
    await expectProblem(await runtime.call('GET', '/api/now/table/incident?sysparm_fields=number,nope'), 400, 'unknown-field');
  });

  it('an unsupported or out-of-range parameter is 400', async () => {
    await expectProblem(await runtime.call('GET', '/api/now/table/incident?sysparm_limit=100000'), 400, 'invalid-parameter');
    await expectProblem(await runtime.call('GET', '/api/now/table/incident?sysparm_view=ess'), 400, 'invalid-parameter');
    await expectProblem(await runtime.call('GET', '/api/now/table/incident?sysparm_display_value=true'), 400, 'invalid-parameter');
  });
});

describe('authentication and roles', () => {
  it('no credentials is 401 with a Basic challenge', async () => {
    const response = await runtime.call('POST', '/api/now/table/incident', { body: {}, auth: null });
    expect(response.headers.get('www-authenticate')).toContain('Basic');
    await expectProblem(response, 401, 'unauthenticated');
  });

  it('a wrong password is 401', async () => {
    await expectProblem(await runtime.call('POST', '/api/now/table/incident', { body: {}, auth: basic('admin', 'wrong-password') }), 401, 'unauthenticated');
  });

  it('a user without a table role is 403, naming the roles needed', async () => {
    const created = await runtime.call('POST', '/api/lockstep/v1/users', { body: { user_name: 'api.only', password: 'api-only-password', roles: ['ih_process_sync_api'] } });
    expect(created.status).toBe(201);
    const problem = await expectProblem(await runtime.call('POST', '/api/now/table/incident', { body: {}, auth: basic('api.only', 'api-only-password') }), 403, 'missing-role');
    expect(problem.detail).toContain('itil');
    await expectProblem(await runtime.call('GET', '/api/now/table/incident', { auth: basic('api.only', 'api-only-password') }), 403, 'missing-role');
  });

  it('an unknown route is 404 problem+json', async () => {
    await expectProblem(await runtime.call('GET', '/api/now/nothing'), 404, 'no-such-route');
  });
});
