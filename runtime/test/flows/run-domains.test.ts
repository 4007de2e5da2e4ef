import { afterAll, beforeAll, expect, it } from 'vitest';
import { edge, node } from '../../../test/support/subflow-parts.js';
import { expectProblem } from '../support/problem.js';
import { describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { answer, domainCaller, type DomainCaller } from './domain-callers.js';

const ACME = 'global/acme';
const GLOBEX = 'global/globex';
/** A remote system's sys_id; the correlation actions tested here only file it. */
const REMOTE = 'a'.repeat(32);
const CORRELATIONS = '/api/lockstep/v1/sync/correlations';

type Step = ReturnType<typeof node>;
type Context = { sys_id: string; status: string; sys_domain: string; steps: Record<string, { status: string; error: string | null; error_code: string | null; output: unknown }> };

describeOnEachStore('flow actions by domain', (variant) => {
  let runtime: TestRuntime;
  let acme: DomainCaller;
  let globex: DomainCaller;
  let incident: { sys_id: string; number: string };
  let correlation: { sys_id: string; local_correlation_id: string };
  let globexRun: Context;

  /** Test-runs Start → `steps` → End as `caller`, and returns the flow context. */
  async function run(caller: DomainCaller, ...steps: Step[]): Promise<Context> {
    const nodes = [node('start', 'flow.start'), ...steps, node('end', 'flow.end')];
    const graph = { name: 'Probe', kind: 'custom', nodes, edges: nodes.slice(1).map((next, index) => edge(nodes[index]?.id ?? '', next.id)) };
    const draft = (await answer(await runtime.call('POST', '/api/lockstep/v1/subflows', { body: graph, auth: caller.auth }), 201)).result;
    return (await answer(await runtime.call('POST', `/api/lockstep/v1/subflows/${draft.id}/test-run`, { body: { inputs: {} }, auth: caller.auth }), 201)).result;
  }

  /** The step failed for lying outside acme's domain, naming where the thing it touched is. */
  function refusedOutsideAcme(context: Context, step: string): void {
    expect(context.status).toBe('error');
    expect(context.steps[step]).toMatchObject({ status: 'failed', error_code: 'outside_domain' });
    expect(context.steps[step]?.error).toContain(`is in domain ${GLOBEX}, outside ${ACME}, where acme.agent, whom this run acts as, works`);
  }

  const incidentAsAdmin = async () => (await answer(await runtime.call('GET', `/api/now/table/incident/${incident.sys_id}`), 200)).result;
  const correlationAsAdmin = async () => (await answer(await runtime.call('GET', `${CORRELATIONS}/${correlation.sys_id}`), 200)).result;
  const correlationCount = async () => (await runtime.call('GET', CORRELATIONS)).headers.get('x-total-count');

  beforeAll(async () => {
    runtime = await startTestRuntime(variant.settings());
    acme = await domainCaller(runtime, 'acme.agent', ACME, ['ih_process_sync', 'itil']);
    globex = await domainCaller(runtime, 'globex.agent', GLOBEX, ['ih_process_sync', 'itil']);
    incident = (await answer(await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'Globex mail is down', state: '1' }, auth: globex.auth }), 201)).result;
    globexRun = await run(globex, node('correlate', 'sync.createCorrelation', { table: 'incident', sys_id: incident.sys_id, remoteSystem: REMOTE }));
    expect(globexRun.status).toBe('completed');
    correlation = (globexRun.steps.correlate?.output as { correlation: typeof correlation }).correlation;
  });
  afterAll(() => runtime.dispose());

  it("keeps a run's records in its domain: acme cannot look up, update or delete a globex incident, nor create one there", async () => {
    const before = await incidentAsAdmin();
    expect(before.sys_domain).toBe(GLOBEX);
    refusedOutsideAcme(await run(acme, node('find', 'record.lookup', { table: 'incident', query: `number=${incident.number}` })), 'find');
    refusedOutsideAcme(await run(acme, node('change', 'record.update', { table: 'incident', sys_id: incident.sys_id, values: { state: '2', work_notes: 'taken over' } })), 'change');
    refusedOutsideAcme(await run(acme, node('remove', 'record.delete', { table: 'incident', sys_id: incident.sys_id })), 'remove');
    expect(await incidentAsAdmin()).toEqual(before);

    const moved = await run(acme, node('make', 'record.create', { table: 'incident', values: { short_description: 'Planted in globex', sys_domain: GLOBEX } }));
    expect(moved.steps.make).toMatchObject({ status: 'failed' });
    expect(moved.steps.make?.error).toContain('sys_domain is set by the system and cannot be written');
    const planted = await runtime.call('GET', '/api/now/table/incident?short_description=Planted in globex');
    expect(planted.headers.get('x-total-count')).toBe('0');

    const made = await run(acme, node('make', 'record.create', { table: 'incident', values: { short_description: 'Acme mail is down' } }));
    expect(made.status).toBe('completed');
    expect((made.steps.make?.output as { record: { sys_domain: string } }).record.sys_domain).toBe(ACME);
  });

  it("keeps a run's correlations in its domain: acme cannot find, make or close one of globex's", async () => {
    const before = await correlationAsAdmin();
    const count = await correlationCount();
    refusedOutsideAcme(await run(acme, node('find', 'sync.lookupCorrelationByLocalId', { localCorrelationId: correlation.local_correlation_id })), 'find');
    refusedOutsideAcme(await run(acme, node('find', 'sync.lookupCorrelationByLocalRecord', { table: 'incident', sys_id: incident.sys_id, remoteSystem: REMOTE })), 'find');
    refusedOutsideAcme(await run(acme, node('close', 'sync.updateCorrelationState', { correlation: correlation.sys_id, state: 'inactive' })), 'close');
    // The record is globex's: a correlation for it made from acme would hold its place for globex's own runs.
    refusedOutsideAcme(await run(acme, node('make', 'sync.createCorrelation', { table: 'incident', sys_id: incident.sys_id, remoteSystem: 'b'.repeat(32), remoteCorrelationId: 'X-1' })), 'make');
    expect(await correlationAsAdmin()).toEqual(before);
    expect(await correlationCount()).toBe(count);
  });

  it("keeps a run's attachments in its domain: acme cannot list, compare or move files of a globex record", async () => {
    const offered = { key: 'k'.repeat(32), sha256: 'f'.repeat(64), file_name: 'notes.txt', content_type: 'text/plain', size: 5 };
    refusedOutsideAcme(await run(acme, node('list', 'sync.getAttachmentMetadata', { table: 'incident', sys_id: incident.sys_id, remoteSystem: REMOTE })), 'list');
    refusedOutsideAcme(await run(acme, node('compare', 'sync.identifyNewAttachments', { attachments: [offered], table: 'incident', sys_id: incident.sys_id })), 'compare');
    refusedOutsideAcme(await run(acme, node('ask', 'sync.requestAttachments', { attachments: [offered], correlation: correlation.sys_id })), 'ask');
    refusedOutsideAcme(await run(acme, node('move', 'sync.moveAttachments', { correlation: correlation.sys_id, table: 'incident', sys_id: incident.sys_id })), 'move');
  });

  it("shows a run's flow context only inside its domain tree", async () => {
    expect(globexRun.sys_domain).toBe(GLOBEX);
    const own = await run(acme, node('note', 'flow.log', { message: 'acme was here' }));
    expect(own.sys_domain).toBe(ACME);

    await expectProblem(await runtime.call('GET', `/api/lockstep/v1/contexts/${globexRun.sys_id}`, { auth: acme.auth }), 404, 'unknown-context');
    const listed: Context[] = (await answer(await runtime.call('GET', '/api/lockstep/v1/contexts?limit=1000', { auth: acme.auth }), 200)).result;
    expect(listed.map((context) => context.sys_id)).toContain(own.sys_id);
    expect(listed.map((context) => context.sys_id)).not.toContain(globexRun.sys_id);
    expect(new Set(listed.map((context) => context.sys_domain))).toEqual(new Set([ACME]));
    expect((await answer(await runtime.call('GET', `/api/lockstep/v1/contexts/${own.sys_id}`, { auth: acme.auth }), 200)).result.sys_id).toBe(own.sys_id);

    // The provider sees every customer's runs.
    expect((await answer(await runtime.call('GET', `/api/lockstep/v1/contexts/${globexRun.sys_id}`), 200)).result.sys_domain).toBe(GLOBEX);
  });
});
