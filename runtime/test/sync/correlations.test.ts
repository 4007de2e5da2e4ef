import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { edge, node } from '../../../test/support/subflow-parts.js';

const remoteSystem = 'f'.repeat(32);

describeOnEachStore('correlation and transform actions', (variant) => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime(variant.settings());
  });
  afterAll(() => runtime.dispose());

  async function run(graph: object, inputs: Record<string, unknown>) {
    const draft = (await (await runtime.call('POST', '/api/lockstep/v1/subflows', { body: graph })).json()).result;
    return (await (await runtime.call('POST', `/api/lockstep/v1/subflows/${draft.id}/test-run`, { body: { inputs } })).json()).result;
  }

  it('create a correlation once, find it by record and by local id, and change its state', async () => {
    const incident = (await (await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'correlated' } })).json()).result;
    const context = await run(
      {
        name: 'Correlate',
        kind: 'custom',
        inputs: [{ name: 'sys_id', type: 'string', required: true }, { name: 'remoteSystem', type: 'string', required: true }],
        nodes: [
          node('start', 'flow.start'),
          node('before', 'sync.lookupCorrelationByLocalRecord', { table: 'incident', sys_id: '{{ inputs.sys_id }}' }),
          node('create', 'sync.createCorrelation', { table: 'incident', sys_id: '{{ inputs.sys_id }}', remoteCorrelationId: 'REMOTE-1' }),
          node('again', 'sync.createCorrelation', { table: 'incident', sys_id: '{{ inputs.sys_id }}' }),
          node('byRecord', 'sync.lookupCorrelationByLocalRecord', { table: 'incident', sys_id: '{{ inputs.sys_id }}' }),
          node('byId', 'sync.lookupCorrelationByLocalId', { localCorrelationId: '{{ steps.create.correlation.local_correlation_id }}' }),
          node('close', 'sync.updateCorrelationState', { correlation: '{{ steps.create.correlation.sys_id }}', state: 'inactive' }),
          node('end', 'flow.end'),
        ],
        edges: [edge('start', 'before'), edge('before', 'create'), edge('create', 'again'), edge('again', 'byRecord'), edge('byRecord', 'byId'), edge('byId', 'close'), edge('close', 'end')],
      },
      { sys_id: incident.sys_id, remoteSystem },
    );
    expect(context.status, JSON.stringify(context.error)).toBe('completed');
    expect(context.steps.before.output).toEqual({ found: false, correlation: null });
    const created = context.steps.create.output.correlation;
    expect(created).toMatchObject({ local_table: 'incident', local_record: incident.sys_id, remote_system: remoteSystem, remote_correlation_id: 'REMOTE-1', state: 'active' });
    expect(created.local_correlation_id).toMatch(/^[0-9a-f]{32}$/);
    expect(context.steps.again.output.correlation.sys_id).toBe(created.sys_id);
    expect(context.steps.byRecord.output.correlation.sys_id).toBe(created.sys_id);
    expect(context.steps.byId.output).toMatchObject({ found: true, correlation: { sys_id: created.sys_id } });
    expect(context.steps.close.output.correlation.state).toBe('inactive');
  });

  it('fail a correlation action with no remote system to work with', async () => {
    const context = await run(
      {
        name: 'No remote system',
        kind: 'custom',
        nodes: [node('start', 'flow.start'), node('find', 'sync.lookupCorrelationByLocalRecord', { table: 'incident', sys_id: 'x' }), node('end', 'flow.end')],
        edges: [edge('start', 'find'), edge('find', 'end')],
      },
      {},
    );
    expect(context.error.message).toBe('no remote system: set the remoteSystem param, or run the subflow with a remoteSystem input');
  });

  it('transform a payload: mapped fields, value maps, journal deltas with their authors, absent fields left out', async () => {
    const payload = {
      fields: { short_description: 'Printer on fire', state: '10', priority: '1' },
      journal: { comments: [{ value: 'Smoke seen', created_by: 'beth', created_on: '2026-11-22 10:00:00' }] },
    };
    const context = await run(
      {
        name: 'Transform',
        kind: 'custom',
        inputs: [{ name: 'payload', type: 'object', required: true }],
        nodes: [
          node('start', 'flow.start'),
          node('map', 'sync.transformPayload', {
            payload: '{{ inputs.payload }}',
            mappings: [
              { source: 'fields.short_description', target: 'short_description' },
              { source: 'fields.state', target: 'state', valueMap: { '10': '2', '6': '6' } },
              { source: 'fields.description', target: 'description' },
              { source: 'journal.comments', target: 'comments' },
              { source: 'journal.work_notes', target: 'work_notes' },
            ],
          }),
          node('end', 'flow.end'),
        ],
        edges: [edge('start', 'map'), edge('map', 'end')],
      },
      { payload },
    );
    expect(context.steps.map.output.values).toEqual({
      short_description: 'Printer on fire',
      state: '2',
      comments: 'Smoke seen\n(beth, 2026-11-22 10:00:00)',
    });
  });
});
