import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { basic, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const TABLES = '/api/lockstep/v1/dictionary/tables';

interface TableView {
  name: string;
  lineage: string[];
  access: { read: boolean; write: boolean };
  fields: { name: string; type: string; choices?: { value: string; label: string }[] }[];
}

describe('the table dictionary API', () => {
  let runtime: TestRuntime;
  const users = {
    agent: { user_name: 'dict.agent', password: 'agent-password', roles: ['itil'] },
    integrator: { user_name: 'dict.integrator', password: 'integrator-password', roles: ['ih_process_sync'] },
    nobody: { user_name: 'dict.nobody', password: 'nobody-password', roles: [] },
  };
  const as = (user: keyof typeof users) => basic(users[user].user_name, users[user].password);

  beforeAll(async () => {
    runtime = await startTestRuntime();
    for (const user of Object.values(users)) expect((await runtime.call('POST', '/api/lockstep/v1/users', { body: user })).status).toBe(201);
  });
  afterAll(() => runtime?.dispose());

  it("gives each table's resolved fields: inherited ones, and a child's own state choices", async () => {
    const response = await runtime.call('GET', `${TABLES}/incident`, { auth: as('agent') });
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: TableView };
    expect(result.lineage).toEqual(['task', 'incident']);
    expect(result.access).toEqual({ read: true, write: true });
    const field = (name: string) => result.fields.find((candidate) => candidate.name === name);
    expect(field('short_description')?.type).toBe('string');
    expect(field('comments')?.type).toBe('journal');
    expect(field('sys_id')?.type).toBe('string');
    expect(field('state')?.choices?.map((choice) => choice.label)).toEqual(['New', 'In Progress', 'On Hold', 'Resolved', 'Closed', 'Canceled']);
  });

  it('lists the tables a caller may read; process sync designers read all, for their field pickers', async () => {
    const names = async (user: keyof typeof users) => ((await (await runtime.call('GET', TABLES, { auth: as(user) })).json()) as { result: TableView[] }).result.map((table) => table.name);
    expect(await names('agent')).toEqual(expect.arrayContaining(['task', 'incident', 'case']));
    expect(await names('integrator')).toEqual(expect.arrayContaining(['task', 'incident', 'case', 'sc_request', 'remote_task']));
    expect(await names('nobody')).toEqual([]);
    const { result } = (await (await runtime.call('GET', TABLES, { auth: as('integrator') })).json()) as { result: TableView[] };
    // The integrator may read the definition, not the records.
    expect(result.find((table) => table.name === 'case')?.access).toEqual({ read: false, write: false });
  });

  it('answers bad input and missing roles with problems that say what to do', async () => {
    const unknown = await expectProblem(await runtime.call('GET', `${TABLES}/no_such_table`), 404, 'unknown-table');
    expect(unknown.detail).toContain('GET /api/lockstep/v1/dictionary/tables');
    await expectProblem(await runtime.call('GET', `${TABLES}/Not-A-Name`), 400, 'invalid-table-name');
    const param = await expectProblem(await runtime.call('GET', `${TABLES}?verbose=1`), 400, 'invalid-parameter');
    expect(param.errors?.length).toBe(1);
    const refused = await expectProblem(await runtime.call('GET', `${TABLES}/incident`, { auth: as('nobody') }), 403, 'missing-role');
    expect(refused.detail).toContain('itil');
    await expectProblem(await runtime.call('GET', TABLES, { auth: null }), 401, 'unauthenticated');
  });
});
