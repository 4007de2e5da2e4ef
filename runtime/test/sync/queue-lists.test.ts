import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { queuedItem } from '../support/queued-item.js';
import { basic, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const HOUR = 3_600_000;
const EVENT_A = 'aa'.repeat(16);
const EVENT_B = 'bb'.repeat(16);
const REMOTE = 'cc'.repeat(16);

/** A queue item of a remote system that is not active, so no worker takes it; `at` is when it was queued. */
function item(id: string, processEvent: string, at: number, domain = 'global') {
  return queuedItem({ _id: id, process_event: processEvent, remote_system: REMOTE, correlation_key: `incident:${id}:${REMOTE}`, created_at: at, sys_domain: domain });
}

describe.each(['outbound', 'inbound'])('the %s queue list', (side) => {
  let runtime: TestRuntime;
  const now = Date.now();
  const list = async (query: string): Promise<{ ids: string[]; total: string | null }> => {
    const response = await runtime.call('GET', `/api/lockstep/v1/sync/${side}-queue?${query}`);
    expect(response.status, query).toBe(200);
    return { ids: ((await response.json()).result as { sys_id: string }[]).map((found) => found.sys_id).toSorted(), total: response.headers.get('x-total-count') };
  };

  beforeAll(async () => {
    runtime = await startTestRuntime();
    await runtime.store.collection(`sync_${side}_queue`).insertMany([item('old-a', EVENT_A, now - 3 * HOUR), item('new-a', EVENT_A, now - HOUR), item('new-b', EVENT_B, now - HOUR / 2)]);
  });
  afterAll(() => runtime?.dispose());

  it('filters by process event, remote system and time, and pages with a total', async () => {
    expect(await list(`process_event=${EVENT_A}`)).toEqual({ ids: ['new-a', 'old-a'], total: '2' });
    expect(await list(`remote_system=${REMOTE}&created_after=${now - 2 * HOUR}`)).toEqual({ ids: ['new-a', 'new-b'], total: '2' });
    expect(await list(`created_before=${encodeURIComponent(new Date(now - 2 * HOUR).toISOString())}`)).toEqual({ ids: ['old-a'], total: '1' });
    expect(await list(`status=ready&process_event=${EVENT_B}&created_after=${now - 2 * HOUR}&created_before=${now}`)).toEqual({ ids: ['new-b'], total: '1' });
    expect((await list('limit=1&offset=1')).total).toBe('3');
    expect((await list('limit=1&offset=1')).ids).toHaveLength(1);
  });

  it('refuses filters it does not know and values that are not what they should be', async () => {
    const problem = await expectProblem(await runtime.call('GET', `/api/lockstep/v1/sync/${side}-queue?process_event=nope&created_after=yesterday`), 400, 'invalid-parameter');
    expect(problem.errors?.map((error) => error.path).toSorted()).toEqual(['created_after', 'process_event']);
    await expectProblem(await runtime.call('GET', `/api/lockstep/v1/sync/${side}-queue?colour=red`), 400, 'invalid-parameter');
  });

  it("shows a configurer only the items of its domain and those below it, and answers the others as missing", async () => {
    const acme = { user_name: `queue.watcher.${side}`, password: 'a-watcher-password', roles: ['ih_process_sync'], sys_domain: 'global/acme' };
    expect((await runtime.call('POST', '/api/lockstep/v1/users', { body: acme })).status).toBe(201);
    const auth = basic(acme.user_name, acme.password);
    await runtime.store.collection(`sync_${side}_queue`).insertMany([item('acme-emea', EVENT_A, now, 'global/acme/emea'), item('beta', EVENT_A, now, 'global/beta')]);
    const queue = `/api/lockstep/v1/sync/${side}-queue`;

    const listed = await runtime.call('GET', `${queue}?process_event=${EVENT_A}`, { auth });
    expect(((await listed.json()).result as { sys_id: string }[]).map((found) => found.sys_id)).toEqual(['acme-emea']);
    expect(listed.headers.get('x-total-count')).toBe('1');
    expect((await (await runtime.call('GET', `${queue}/acme-emea`, { auth })).json()).result.sys_id).toBe('acme-emea');
    await expectProblem(await runtime.call('GET', `${queue}/beta`, { auth }), 404, 'unknown-queue-item');
    await expectProblem(await runtime.call('POST', `${queue}/beta/skip`, { auth }), 404, 'unknown-queue-item');
    const stats = (await (await runtime.call('GET', `${queue}/stats`, { auth })).json()).result;
    expect(stats.by_status.ready).toBe(1);
    // The admin, in global, still sees every item, and the refused skip changed nothing.
    const beta = (await (await runtime.call('GET', `${queue}/beta`)).json()).result;
    expect(beta.status).toBe('ready');
  });
});
