import { openStore } from '@lockstep/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, basic, startTestRuntime } from '../support/runtime.js';
import { until } from '../support/until.js';
import { change, configureCaseInbound, ok, queueItem, send } from './inbound-processor-setup.js';
import { activate, patch, remoteSystem, startPeerPair, type PeerSide } from './peer-pair.js';

const SYNC = '/api/lockstep/v1/sync';
/**
 * A link in error after 300 ms of failures with no success, probed at most
 * every 500 ms: the window and backoff the defaults give over minutes, here
 * over a second, with real runtimes and a real peer that goes away.
 */
const SETTINGS = { 'link-failure-window-ms': '300', 'link-probe-max-delay-ms': '500', 'outbound-retry-delay-ms': '20', 'outbound-retry-max-delay-ms': '200' };

interface Transition {
  direction: string;
  from: string;
  to: string;
  reason: string;
  at: string;
}
interface ErrorRun {
  status: string;
  inputs: { direction: string; error: string; item: { queue: string; id: string; correlation_key: string; sequence: number } | null };
  steps: Record<string, { status: string }>;
}
interface GraphNode {
  id: string;
  type: string;
  label: string;
  position: { x: number; y: number };
  params: Record<string, unknown>;
}
interface GraphEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
}

const history = async (side: PeerSide): Promise<Transition[]> => (await ok(await side.runtime.call('GET', `${SYNC}/remote-systems/${side.remoteSystemId}/link-history`))).result;
const errorRuns = async (side: PeerSide, subflow: string): Promise<ErrorRun[]> => (await ok(await side.runtime.call('GET', `/api/lockstep/v1/contexts?subflow=${subflow}`))).result;

/** A published copy of the error template, with `extra` steps run after its notification (none: the template as it is). */
async function errorSubflow(side: PeerSide, extra: Omit<GraphNode, 'position'>[] = []): Promise<string> {
  const { runtime } = side;
  const { result: copy } = await ok(await runtime.call('POST', '/api/lockstep/v1/subflows/error-basic/copy', { body: {} }), 201);
  const read = await runtime.call('GET', `/api/lockstep/v1/subflows/${copy.id}`);
  const graph = (await ok(read)).result as { nodes: GraphNode[]; edges: GraphEdge[] } & Record<string, unknown>;
  const chain = ['notify', ...extra.map((node) => node.id), 'end'];
  const nodes = [...graph.nodes, ...extra.map((node, index) => ({ ...node, position: { x: 0, y: 180 + index * 60 } }))];
  const edges = chain.slice(1).map((target, index) => ({ id: `${chain[index]}-${target}`, source: chain[index] ?? '', sourceHandle: 'next', target }));
  const headers = { authorization: basic(ADMIN.user, ADMIN.password), 'content-type': 'application/json' };
  const { name, description, kind, inputs, outputs, timeLimitMs } = graph;
  const body = JSON.stringify({ name, description, kind, inputs, outputs, nodes, edges: [{ id: 'start-notify', source: 'start', sourceHandle: 'next', target: 'notify' }, ...edges], timeLimitMs });
  const saved = await fetch(`${runtime.url}/api/lockstep/v1/subflows/${copy.id}`, { method: 'PUT', headers: { ...headers, 'if-match': read.headers.get('etag') ?? '' }, body });
  await ok(saved);
  await ok(await fetch(`${runtime.url}/api/lockstep/v1/subflows/${copy.id}/publish`, { method: 'POST', headers: { ...headers, 'if-match': saved.headers.get('etag') ?? '' } }), 201);
  return copy.id;
}

describe('link health between two runtimes', () => {
  let a: PeerSide;
  let b: PeerSide;
  let aErrors: string;

  const incident = async (body: Record<string, unknown>): Promise<string> => (await ok(await a.runtime.call('POST', '/api/now/table/incident', { body }), 201)).result.sys_id;
  const outboundOf = async (sysId: string) => {
    const { result } = await ok(await a.runtime.call('GET', `${SYNC}/outbound-queue?sysparm_limit=1000`));
    return (result as { sys_id: string; status: string; sequence: number; correlation_key: string }[]).filter((item) => item.correlation_key.startsWith(`incident:${sysId}:`)).toSorted((x, y) => x.sequence - y.sequence);
  };
  /** B's case for A's incident: A's correlation's id is the sender id B's correlation keeps. */
  const caseOf = async (sysId: string) => {
    const sent = await a.runtime.store.collection('sync_correlation').findOne({ local_table: 'incident', local_record: sysId });
    const found = sent && (await b.runtime.store.collection('sync_correlation').findOne({ remote_system: b.remoteSystemId, remote_correlation_id: String(sent.local_correlation_id) }));
    return found ? (await ok(await b.runtime.call('GET', `/api/now/table/case/${String(found.local_record)}`))).result : null;
  };
  const commentsOf = async (sysId: string) => ((await caseOf(sysId))?.comments as { value: string }[] | undefined)?.map((entry) => entry.value.split('\n')[0]);

  beforeAll(async () => {
    ({ a, b } = await startPeerPair(() => ({ ...SETTINGS })));
    for (const side of [a, b]) await ok(await activate(side));
    await configureCaseInbound(b);
    const outbound = (await ok(await a.runtime.call('POST', '/api/lockstep/v1/subflows/outbound-basic/copy', { body: {} }), 201)).result.id;
    const copied = await a.runtime.call('GET', `/api/lockstep/v1/subflows/${outbound}`);
    await ok(await fetch(`${a.runtime.url}/api/lockstep/v1/subflows/${outbound}/publish`, { method: 'POST', headers: { authorization: basic(ADMIN.user, ADMIN.password), 'if-match': copied.headers.get('etag') ?? '' } }), 201);
    await ok(await a.runtime.call('POST', `${SYNC}/outbound-flows`, { body: { process_sync_definition: a.definitionId, process_event: a.processEventId, remote_system: a.remoteSystemId, subflow: outbound } }), 201);
    const capture = { process_sync_definition: a.definitionId, process_event: a.processEventId, state: 'active', source_table: 'incident', include_fields: ['short_description', 'comments'] };
    await ok(await a.runtime.call('POST', `${SYNC}/capture-definitions`, { body: capture }), 201);
    aErrors = await errorSubflow(a);
    await patch(a.runtime, `${SYNC}/remote-systems/${a.remoteSystemId}`, { error_subflow: aErrors });
  });
  afterAll(() => Promise.all([a?.runtime.dispose(), b?.runtime.dispose()]));

  it('puts the outbound link in error only after its failure window, runs the error subflow once with the item, and brings it back with no admin action once the peer validates', async () => {
    const port = new URL(b.runtime.url).port;
    await b.runtime.stop();
    const sysId = await incident({ short_description: 'Link test' });
    await ok(await a.runtime.call('PATCH', `/api/now/table/incident/${sysId}`, { body: { comments: 'Still down' } }));
    await until(async () => (await remoteSystem(a)).outbound_state === 'error', "A's outbound link went to error");
    const [run] = await until(async () => {
      const runs = await errorRuns(a, aErrors);
      return runs.some((one) => one.status === 'completed') && runs;
    }, 'the error subflow ran');
    const [first] = await outboundOf(sysId);
    expect(run?.inputs).toMatchObject({ direction: 'outbound', item: { queue: 'outbound', id: first?.sys_id, sequence: 1 } });
    expect(run?.inputs.error).toMatch(/unreachable/);
    const [entered] = await history(a);
    expect(entered).toMatchObject({ direction: 'outbound', from: 'active', to: 'error' });
    expect(entered?.reason).toMatch(/^sending failed for \d+ s with no success: /);

    b.runtime = await startTestRuntime({ ...SETTINGS, name: 'provider', 'data-dir': b.runtime.dataDir, port });
    await until(async () => (await remoteSystem(a)).outbound_state === 'active', "A's outbound link came back by itself");
    await until(async () => (await outboundOf(sysId)).every((item) => item.status === 'processed'), 'the backlog was sent');
    // Sent means B queued it; B applies it from its inbound queue after.
    await until(async () => ((await commentsOf(sysId))?.length ?? 0) > 0, 'B applied the backlog');
    expect(await commentsOf(sysId)).toEqual(['Still down']);
    const [recovered] = await history(a);
    expect(recovered).toMatchObject({ direction: 'outbound', from: 'error', to: 'active', reason: 'the peer answered and validated (automatic recovery)' });
    // Once per entry into error, however many items failed meanwhile.
    expect(await errorRuns(a, aErrors)).toHaveLength(1);
    // The Error period, as Prometheus reads it from the link history.
    const metrics = await (await fetch(`${a.runtime.url}/metrics`)).text();
    const series = (name: string) => Number(new RegExp(`^${name}\\{remote_system="${a.remoteSystemId}",name="[^"]*",direction="outbound"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(series('lockstep_link_errors_total')).toBe(1);
    expect(series('lockstep_link_error_seconds_total')).toBeGreaterThan(0);
  });

  it('runs the error subflow of an entry into error that a process killed before running it left behind, once, after its restart', async () => {
    const port = new URL(a.runtime.url).port;
    await patch(a.runtime, `${SYNC}/remote-systems/${a.remoteSystemId}`, { auto_recovery: false });
    const before = await errorRuns(a, aErrors);
    await a.runtime.stop();
    // What a kill between the compare-and-set into error and the error subflow's first step leaves: the state and the history, no run.
    const store = await openStore({ dataDir: a.runtime.dataDir });
    await store.collection('sync_remote_system').updateOne({ _id: a.remoteSystemId }, { $set: { outbound_state: 'error' } });
    const failure = { error: 'the peer answered 503 Service Unavailable', item: null };
    await store.collection('sync_link_transition').insertOne({ _id: 'e'.repeat(32), remote_system: a.remoteSystemId, direction: 'outbound', from: 'active', to: 'error', reason: `sending failed for 300 s with no success: ${failure.error}`, at: Date.now(), failure });
    await store.close();
    a.runtime = await startTestRuntime({ ...SETTINGS, name: 'consumer', 'data-dir': a.runtime.dataDir, port });
    const runs = await until(async () => {
      const found = await errorRuns(a, aErrors);
      return found.length > before.length && found;
    }, 'the restarted runtime ran the error subflow it had left');
    expect(runs.filter((run) => run.inputs.error === failure.error)).toHaveLength(1);
    expect(runs).toHaveLength(before.length + 1);
    await patch(a.runtime, `${SYNC}/remote-systems/${a.remoteSystemId}`, { auto_recovery: true });
    await until(async () => (await remoteSystem(a)).outbound_state === 'active', "A's outbound link came back once recovery was on again");
    expect(await errorRuns(a, aErrors)).toHaveLength(before.length + 1);
  });

  it('sends a reprocessed processed item as a new delivery, which the peer applies again', async () => {
    const sysId = await incident({ short_description: 'Reprocess test', comments: 'Please call me' });
    const [item] = await until(async () => {
      const items = await outboundOf(sysId);
      return items[0]?.status === 'processed' && items;
    }, 'the change was sent');
    await until(async () => (await commentsOf(sysId))?.length === 1, 'B applied it');
    const again = (await ok(await a.runtime.call('POST', `${SYNC}/outbound-queue/${item?.sys_id}/reprocess`))).result;
    expect(again).toMatchObject({ status: 'ready', sequence: 2 });
    expect(again.sys_id).not.toBe(item?.sys_id);
    await until(async () => (await commentsOf(sysId))?.length === 2, 'B applied the new delivery');
    expect(await commentsOf(sysId)).toEqual(['Please call me', 'Please call me']);
    expect((await outboundOf(sysId)).map((one) => [one.sequence, one.status])).toEqual([[1, 'processed'], [2, 'processed']]);
  });

  it('puts the inbound link in error when its flow keeps failing; the error subflow gets the item, skips it, and the link comes back', async () => {
    const skipper = await errorSubflow(b, [{ id: 'skip', type: 'sync.skipQueueItem', label: 'Skip the item', params: { queue: '{{ inputs.item.queue }}', item: '{{ inputs.item.id }}' } }]);
    await patch(b.runtime, `${SYNC}/remote-systems/${b.remoteSystemId}`, { error_subflow: skipper });
    const failing = change(a, b, 'INC-LINK-1', 1, { short_description: 'Bad state', state: 'no-such-state' });
    await send(b, failing);
    const [run] = await until(async () => {
      const runs = await errorRuns(b, skipper);
      return runs.some((one) => one.status === 'completed') && runs;
    }, "B's error subflow ran");
    expect(run?.inputs).toMatchObject({ direction: 'inbound', item: { queue: 'inbound', id: failing.id, correlation_key: `${b.remoteSystemId}:INC-LINK-1`, sequence: 1 } });
    expect(run?.steps.skip).toMatchObject({ status: 'done' });
    expect((await queueItem(b, failing.id)).status).toBe('skipped');
    await until(async () => (await remoteSystem(b)).inbound_state === 'active', "B's inbound link came back once nothing held it");
    const inbound = (await history(b)).filter((transition) => transition.direction === 'inbound');
    expect(inbound.map((transition) => `${transition.from}>${transition.to}`)).toEqual(['error>active', 'active>error', 'disabled>active']);
    expect(inbound[2]?.reason).toBe('Validate and Activate by admin');
    expect(inbound[1]?.reason).toMatch(/^applying failed for \d+ s with no success: /);
    expect(await errorRuns(b, skipper)).toHaveLength(1);
  });

  it("reprocesses an applied inbound item from a flow's Reprocess queue item step, adding none of its journal entries a second time", async () => {
    const noted = change(a, b, 'INC-LINK-2', 1, { short_description: 'Noted' }, { work_notes: [{ value: 'Checked the cable', created_by: 'beth', created_on: '2026-05-01 10:05:00' }] });
    await send(b, noted);
    const first = await until(async () => {
      const item = await queueItem(b, noted.id);
      return item.status === 'processed' && item;
    }, 'B applied the note');
    const reprocessor = await errorSubflow(b, [{ id: 'reprocess', type: 'sync.reprocessQueueItem', label: 'Reprocess the item', params: { queue: '{{ inputs.item.queue }}', item: '{{ inputs.item.id }}' } }]);
    const inputs = { remoteSystem: b.remoteSystemId, direction: 'inbound', state: 'error', error: 'by hand', item: { queue: 'inbound', id: noted.id } };
    const run = (await ok(await b.runtime.call('POST', `/api/lockstep/v1/subflows/${reprocessor}/test-run`, { body: { inputs } }), 201)).result;
    expect(run.steps.reprocess).toMatchObject({ status: 'done', output: { status: 'ready' } });
    const again = await until(async () => {
      const item = await queueItem(b, noted.id);
      return item.status === 'processed' && item.transform_context !== first.transform_context && item;
    }, 'B applied it again');
    expect(again.transform_context).not.toBe(first.transform_context);
    const correlation = await b.runtime.store.collection('sync_correlation').findOne({ remote_system: b.remoteSystemId, remote_correlation_id: 'INC-LINK-2' });
    const workNotes = (await ok(await b.runtime.call('GET', `/api/now/table/case/${String(correlation?.local_record)}`))).result.work_notes as { value: string }[];
    expect(workNotes.map((entry) => entry.value.split('\n')[0])).toEqual(['Checked the cable']);
  });

  it('validates a changed connection again before anything more goes, recording why', async () => {
    const runsBefore = (await errorRuns(a, aErrors)).length;
    const moved = (await ok(await a.runtime.call('PATCH', `${SYNC}/remote-systems/${a.remoteSystemId}`, { body: { connection: { base_url: 'http://127.0.0.1:9/' } } }))).result;
    expect(moved).toMatchObject({ outbound_state: 'error', inbound_state: 'error' });
    const [latest] = await history(a);
    expect(latest?.reason).toBe("admin changed the connection's base URL; it is validated again before anything more is sent or applied");
    await patch(a.runtime, `${SYNC}/remote-systems/${a.remoteSystemId}`, { connection: { base_url: b.runtime.url } });
    await until(async () => {
      const states = await remoteSystem(a);
      return states.outbound_state === 'active' && states.inbound_state === 'active';
    }, 'the restored connection validated');
    // A configuration change is not a failure: no error subflow ran for it.
    expect(await errorRuns(a, aErrors)).toHaveLength(runsBefore);
  });
});
