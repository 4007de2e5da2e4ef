import { afterAll, beforeAll, expect, it } from 'vitest';
import { basic, describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { expectProblem } from '../support/problem.js';
import { eventually } from '../support/until.js';
import { edge, node } from '../../../test/support/subflow-parts.js';

type Graph = { name: string; kind: string; inputs?: unknown[]; outputs?: unknown[]; nodes: unknown[]; edges: unknown[] };


describeOnEachStore('flow runs', (variant) => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime(variant.settings());
  });
  afterAll(() => runtime.dispose());

  async function draft(graph: Graph): Promise<string> {
    const response = await runtime.call('POST', '/api/lockstep/v1/subflows', { body: graph });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()).result.id;
  }

  async function testRun(id: string, inputs: Record<string, unknown>, auth?: string) {
    return runtime.call('POST', `/api/lockstep/v1/subflows/${id}/test-run`, { body: { inputs }, ...(auth ? { auth } : {}) });
  }

  it('creates, updates and looks up records as the caller, and keeps a context of every step', async () => {
    const id = await draft({
      name: 'Raise and note',
      kind: 'custom',
      inputs: [{ name: 'summary', type: 'string', required: true }],
      outputs: [{ name: 'number', type: 'string', required: true }],
      nodes: [
        node('start', 'flow.start'),
        node('create', 'record.create', { table: 'incident', values: { short_description: '{{ inputs.summary }}', priority: '2' } }),
        node('note', 'record.update', { table: 'incident', sys_id: '{{ steps.create.sys_id }}', values: { work_notes: 'Opened by a flow', state: '2' } }),
        node('find', 'record.lookup', { table: 'incident', query: 'number={{ steps.create.record.number }}' }),
        node('end', 'flow.end', { outputs: { number: '{{ steps.find.record.number }}' } }),
      ],
      edges: [edge('start', 'create'), edge('create', 'note'), edge('note', 'find'), edge('find', 'end')],
    });
    const response = await testRun(id, { summary: 'Made by a flow' });
    expect(response.status).toBe(201);
    const { result: context } = await response.json();
    expect(context).toMatchObject({ status: 'completed', test_run: true, subflow_version: 'draft', run_as: { userName: 'admin' } });
    expect(Object.values(context.steps).map((step) => (step as { status: string }).status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(context).toMatchObject({ position: null, memory: {} });

    const incidents = (await (await runtime.call('GET', `/api/now/table/incident?number=${context.outputs.number}`)).json()).result;
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ short_description: 'Made by a flow', state: '2', sys_created_by: 'admin', sys_mod_count: 1 });
    expect(incidents[0].work_notes.map((entry: { value: string }) => entry.value)).toEqual(['Opened by a flow']);
    expect(incidents[0]).not.toHaveProperty('__flow_steps');

    const listed = await runtime.call('GET', `/api/lockstep/v1/contexts?subflow=${id}`);
    expect(listed.headers.get('x-total-count')).toBe('1');
    const fetched = (await (await runtime.call('GET', `/api/lockstep/v1/contexts/${context.sys_id}`)).json()).result;
    expect(fetched.steps.create.input).toEqual({ table: 'incident', values: { short_description: 'Made by a flow', priority: '2' } });
  });

  it('fails a step whose values do not fit the table, naming the field', async () => {
    const id = await draft({
      name: 'Bad values',
      kind: 'custom',
      nodes: [node('start', 'flow.start'), node('create', 'record.create', { table: 'incident', values: { priority: 'urgent' } }), node('end', 'flow.end')],
      edges: [edge('start', 'create'), edge('create', 'end')],
    });
    const { result } = await (await testRun(id, {})).json();
    expect(result).toMatchObject({ status: 'error', error: { node_id: 'create', code: 'step' } });
    expect(result.error.message).toContain('priority: "urgent" is not a choice');
  });

  it('acts only within the roles of the user it runs as', async () => {
    await runtime.call('POST', '/api/lockstep/v1/users', { body: { user_name: 'designer', password: 'designer-password', roles: ['ih_process_sync'] } });
    const id = await draft({
      name: 'No table role',
      kind: 'custom',
      nodes: [node('start', 'flow.start'), node('create', 'record.create', { table: 'incident', values: {} }), node('end', 'flow.end')],
      edges: [edge('start', 'create'), edge('create', 'end')],
    });
    const { result } = await (await testRun(id, {}, basic('designer', 'designer-password'))).json();
    expect(result.error.message).toBe('designer, whom this run acts as, cannot write incident records: it needs one of the roles itil');
  });

  it('finds nothing, deletes, and reports a missing record', async () => {
    const created = (await (await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'to go' } })).json()).result;
    const id = await draft({
      name: 'Clean up',
      kind: 'custom',
      inputs: [{ name: 'sys_id', type: 'string', required: true }],
      nodes: [
        node('start', 'flow.start'),
        node('missing', 'record.lookup', { table: 'incident', query: 'short_description=nothing like this' }),
        node('remove', 'record.delete', { table: 'incident', sys_id: '{{ inputs.sys_id }}' }),
        node('again', 'record.update', { table: 'incident', sys_id: '{{ inputs.sys_id }}', values: { state: '2' } }),
        node('end', 'flow.end'),
      ],
      edges: [edge('start', 'missing'), edge('missing', 'remove'), edge('remove', 'again'), edge('again', 'end')],
    });
    const { result } = await (await testRun(id, { sys_id: created.sys_id })).json();
    expect(result.steps.missing.output).toEqual({ found: false, record: null });
    expect(result.steps.remove.output).toEqual({ deleted: true });
    expect(result.error).toMatchObject({ node_id: 'again', message: `there is no incident record with sys_id ${created.sys_id}` });
  });

  it('resumes a durable wait from the database', async () => {
    const id = await draft({
      name: 'Wait a little',
      kind: 'custom',
      nodes: [node('start', 'flow.start'), node('pause', 'flow.wait', { seconds: 0.3 }), node('end', 'flow.end')],
      edges: [edge('start', 'pause'), edge('pause', 'end')],
    });
    const { result } = await (await testRun(id, {})).json();
    expect(result.status).toBe('waiting');
    const statusOf = async () => (await (await runtime.call('GET', `/api/lockstep/v1/contexts/${result.sys_id}`)).json()).result.status as string;
    expect(await eventually(statusOf, (status) => status === 'completed', 'the waker resumed the run to its end')).toBe('completed');
  });

  it('refuses inputs that do not match, and a draft that would not run', async () => {
    const id = await draft({
      name: 'Needs input',
      kind: 'custom',
      inputs: [{ name: 'count', type: 'number', required: true }],
      nodes: [node('start', 'flow.start'), node('end', 'flow.end')],
      edges: [edge('start', 'end')],
    });
    const problem = await expectProblem(await testRun(id, { count: 'many' }), 400, 'invalid-inputs');
    expect(problem.errors).toEqual([{ path: 'inputs.count', message: 'must be a number' }]);

    const broken = await draft({ name: 'Broken', kind: 'custom', nodes: [node('end', 'flow.end')], edges: [] });
    await expectProblem(await testRun(broken, {}), 422, 'invalid-subflow');
    const contexts = await runtime.call('GET', `/api/lockstep/v1/contexts?subflow=${broken}`);
    expect(contexts.headers.get('x-total-count')).toBe('0');
  });
});
