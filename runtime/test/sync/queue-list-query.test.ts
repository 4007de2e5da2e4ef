import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { queuedItem } from '../support/queued-item.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const MINUTE = 60_000;
const EVENT = 'aa'.repeat(16);
const REMOTE = 'cc'.repeat(16);

/** An item of a remote system that is not active, so no worker takes it. */
function item(id: string, status: string, sequence: number, at: number) {
  return queuedItem({ _id: id, status, sequence, process_event: EVENT, remote_system: REMOTE, correlation_key: `incident:rec:${REMOTE}`, created_at: at });
}

describe.each(['outbound', 'inbound'])('the %s queue list with the Table API parameters', (side) => {
  let runtime: TestRuntime;
  const now = Date.now();
  const list = async (query: string): Promise<{ ids: string[]; total: string | null }> => {
    const response = await runtime.call('GET', `/api/lockstep/v1/sync/${side}-queue?${query}`);
    expect(response.status, query).toBe(200);
    return { ids: ((await response.json()).result as { sys_id: string }[]).map((found) => found.sys_id), total: response.headers.get('x-total-count') };
  };

  beforeAll(async () => {
    runtime = await startTestRuntime();
    await runtime.store.collection(`sync_${side}_queue`).insertMany([
      item('first', 'processed', 1, now - 3 * MINUTE),
      item('second', 'error', 2, now - 2 * MINUTE),
      item('third', 'ready', 3, now - MINUTE),
    ]);
  });
  afterAll(() => runtime?.dispose());

  it('filters and orders by sysparm_query', async () => {
    expect(await list(`sysparm_query=${encodeURIComponent('status=error^ORstatus=processed^ORDERBYsequence')}`)).toEqual({ ids: ['first', 'second'], total: '2' });
    expect(await list(`sysparm_query=${encodeURIComponent(`created_at>${now - 150_000}^ORDERBYDESCsequence`)}`)).toEqual({ ids: ['third', 'second'], total: '2' });
    // With a named filter, both narrow the list.
    expect(await list(`status=ready&sysparm_query=${encodeURIComponent('sequence>=2')}`)).toEqual({ ids: ['third'], total: '1' });
  });

  it('pages by sysparm_limit and sysparm_offset, which win over limit and offset', async () => {
    const ordered = `sysparm_query=${encodeURIComponent('ORDERBYsequence')}`;
    expect(await list(`${ordered}&sysparm_limit=1&sysparm_offset=1`)).toEqual({ ids: ['second'], total: '3' });
    expect(await list(`${ordered}&sysparm_limit=2&limit=1&sysparm_offset=1&offset=0`)).toEqual({ ids: ['second', 'third'], total: '3' });
    expect(await list(`${ordered}&limit=1&offset=2`)).toEqual({ ids: ['third'], total: '3' });
  });

  it('answers a query it cannot read with a problem naming each bad term', async () => {
    const query = encodeURIComponent('colour=red^sequence>two^ORDERBYpayload_json');
    const problem = await expectProblem(await runtime.call('GET', `/api/lockstep/v1/sync/${side}-queue?sysparm_query=${query}`), 400, 'invalid-query');
    expect(problem.errors?.map((error) => error.message)).toEqual([
      expect.stringContaining('unknown field "colour"'),
      expect.stringContaining('"two" is not a number'),
      expect.stringContaining('unknown field "payload_json"'),
    ]);
    await expectProblem(await runtime.call('GET', `/api/lockstep/v1/sync/${side}-queue?sysparm_limit=0`), 400, 'invalid-parameter');
  });
});
