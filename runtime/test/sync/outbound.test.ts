import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, basic, startTestRuntime } from '../support/runtime.js';
import { until } from '../support/until.js';
import { activate, patch, PROCESS_EVENT, remoteSystem, startPeerPair, type PeerSide } from './peer-pair.js';

const SYNC = '/api/lockstep/v1/sync';
const QUEUE = `${SYNC}/outbound-queue`;
/** Short retries and a short failure window, so a peer that is down puts the remote system in error in well under a second. */
const SETTINGS = { 'link-failure-window-ms': '300', 'outbound-retry-delay-ms': '20', 'outbound-retry-max-delay-ms': '100', 'outbound-concurrency': '4' };

type Item = { sys_id: string; status: string; sequence: number; correlation_key: string; retry: { attempts: number; last_error: string | null }; error_info: string | null; flow_context: string | null };
type Inbound = { sys_id: string; sequence: number; correlation_key: string; remote_correlation_id: string; local_correlation_id: string | null; payload_json: string; created_at: number };

async function json(response: Response, status = 200) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text);
}

describe('the outbound dispatcher between two runtimes', () => {
  let a: PeerSide;
  let b: PeerSide;
  let errorSubflow: string;

  async function published(side: PeerSide, template: string): Promise<string> {
    const copied = await side.runtime.call('POST', `/api/lockstep/v1/subflows/${template}/copy`, { body: {} });
    const { result } = await json(copied, 201);
    const headers = { authorization: basic(ADMIN.user, ADMIN.password), 'if-match': copied.headers.get('etag') ?? '' };
    await json(await fetch(`${side.runtime.url}/api/lockstep/v1/subflows/${result.id}/publish`, { method: 'POST', headers }), 201);
    return result.id;
  }

  const items = async (query = ''): Promise<Item[]> => (await json(await a.runtime.call('GET', `${QUEUE}?limit=1000${query}`))).result;
  const itemsOf = async (sysId: string) => (await items()).filter((item) => item.correlation_key.startsWith(`incident:${sysId}:`)).toSorted((x, y) => x.sequence - y.sequence);
  const receivedOn = async (sysId: string): Promise<Inbound[]> => {
    const { result } = await json(await b.runtime.call('GET', `${SYNC}/inbound-queue?limit=1000`));
    return (result as Inbound[]).filter((item) => item.payload_json.includes(sysId)).toSorted((x, y) => x.sequence - y.sequence);
  };
  const incident = async (body: Record<string, unknown>): Promise<string> => (await json(await a.runtime.call('POST', '/api/now/table/incident', { body }), 201)).result.sys_id;
  const update = async (sysId: string, body: Record<string, unknown>) => json(await a.runtime.call('PATCH', `/api/now/table/incident/${sysId}`, { body }));
  const statuses = async (sysId: string) => (await itemsOf(sysId)).map((item) => item.status);

  beforeAll(async () => {
    ({ a, b } = await startPeerPair(() => ({ ...SETTINGS })));
    await json(await activate(a));
    await json(await activate(b));
    const outbound = await published(a, 'outbound-basic');
    errorSubflow = await published(a, 'error-basic');
    await patch(a.runtime, `${SYNC}/remote-systems/${a.remoteSystemId}`, { error_subflow: errorSubflow });
    const link = { process_sync_definition: a.definitionId, process_event: a.processEventId, remote_system: a.remoteSystemId, subflow: outbound };
    await json(await a.runtime.call('POST', `${SYNC}/outbound-flows`, { body: link }), 201);
    const capture = { process_sync_definition: a.definitionId, process_event: a.processEventId, state: 'active', source_table: 'incident', operations: ['insert', 'update'], include_fields: ['short_description', 'priority', 'comments'] };
    await json(await a.runtime.call('POST', `${SYNC}/capture-definitions`, { body: capture }), 201);
  });
  afterAll(async () => {
    await Promise.all([a?.runtime.dispose(), b?.runtime.dispose()]);
  });

  it("sends a captured insert to the peer's inbound queue with its sequence and correlation ids", async () => {
    const sysId = await incident({ short_description: 'Email is down', priority: '2' });
    const [item] = await until(async () => {
      const found = await itemsOf(sysId);
      return found[0]?.status === 'processed' && found;
    }, 'the item was processed');
    const [received] = await until(async () => {
      const found = await receivedOn(sysId);
      return found.length === 1 && found;
    }, 'B queued the envelope');
    expect(received).toMatchObject({ sequence: 1, remote_system: b.remoteSystemId });
    // The sender's correlation id is the one A's outbound flow then recorded for the record; B's is not known yet.
    const correlation = await a.runtime.store.collection('sync_correlation').findOne({ local_table: 'incident', local_record: sysId });
    expect(received?.remote_correlation_id).toBe(correlation?.local_correlation_id);
    expect(JSON.parse(received?.payload_json ?? '{}').correlation).toEqual({ sender_id: correlation?.local_correlation_id, receiver_id: null });
    const one = await json(await a.runtime.call('GET', `${QUEUE}/${item?.sys_id}`));
    expect(one.result).toMatchObject({ status: 'processed', payload: { table: 'incident', sys_id: sysId, operation: 'insert' } });
    expect(one.result.flow_context).toMatch(/^[0-9a-f]{32}$/);
  });

  it('delivers five updates of one record in sequence order', async () => {
    const sysId = await incident({ short_description: 'Printer jam' });
    for (let index = 1; index <= 5; index++) await update(sysId, { comments: `Update ${index}` });
    const received = await until(async () => {
      const found = await receivedOn(sysId);
      return found.length === 6 && found;
    }, 'B queued all six envelopes');
    expect(received.map((item) => item.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(received.map((item) => item.correlation_key)).size).toBe(1);
  });

  it('retries while the peer is down, then puts the remote system in error and runs its error subflow once; with automatic recovery off, Validate and Activate drains the backlog in order', async () => {
    await patch(a.runtime, `${SYNC}/remote-systems/${a.remoteSystemId}`, { auto_recovery: false });
    const port = new URL(b.runtime.url).port;
    await b.runtime.stop();
    const sysId = await incident({ short_description: 'VPN is down' });
    await update(sysId, { comments: 'Still down' });
    await update(sysId, { comments: 'Down for everyone' });
    await until(async () => (await remoteSystem(a)).outbound_state === 'error', "A's outbound state became error");
    // It waits first in line, saying why, its retries reset while the link is in error.
    const [first] = await until(async () => {
      const queued = await itemsOf(sysId);
      return queued.length === 3 && queued[0]?.retry.attempts === 0 && queued;
    }, "all three changes were queued, and the first one's retries reset");
    expect(first).toMatchObject({ status: 'ready', sequence: 1, retry: { attempts: 0 } });
    expect(first?.retry.last_error).toMatch(/unreachable/);
    const runs = await json(await a.runtime.call('GET', `/api/lockstep/v1/contexts?subflow=${errorSubflow}`));
    expect(runs.result).toHaveLength(1);
    expect(runs.result[0].inputs).toMatchObject({ remoteSystem: a.remoteSystemId, direction: 'outbound', state: 'error' });
    const stats = (await json(await a.runtime.call('GET', `${QUEUE}/stats`))).result;
    expect(stats.remote_systems_in_error).toEqual([{ sys_id: a.remoteSystemId, name: 'provider instance', outbound_state: 'error' }]);
    expect(stats.by_status.ready).toBeGreaterThanOrEqual(3);

    b.runtime = await startTestRuntime({ ...SETTINGS, name: 'provider', 'data-dir': b.runtime.dataDir, port });
    // Nothing goes while the remote system is in error, even with the peer back: B receives the backlog only after Validate and Activate.
    expect(await statuses(sysId)).toEqual(['ready', 'ready', 'ready']);
    const activatedAt = Date.now();
    await json(await activate(a));
    const received = await until(async () => {
      const found = await receivedOn(sysId);
      return found.length === 3 && found;
    }, 'B queued the backlog');
    expect(received.map((item) => item.sequence)).toEqual([1, 2, 3]);
    expect(received.filter((item) => item.created_at < activatedAt)).toEqual([]);
    await until(async () => (await statuses(sysId)).every((status) => status === 'processed'), 'the backlog was processed');
    expect((await json(await a.runtime.call('GET', `/api/lockstep/v1/contexts?subflow=${errorSubflow}`))).result).toHaveLength(1);
    await patch(a.runtime, `${SYNC}/remote-systems/${a.remoteSystemId}`, { auto_recovery: true });
  });

  it('marks an item the peer refuses in error, holding back later changes of its record but not other records', async () => {
    await patch(b.runtime, `${SYNC}/process-events/${b.processEventId}`, { name: 'Renamed for the test' });
    const refusedId = await incident({ short_description: 'Refused' });
    const [refused] = await until(async () => {
      const found = await itemsOf(refusedId);
      return found[0]?.status === 'error' && found;
    }, 'the refused item was in error');
    expect(refused?.error_info).toMatch(/422/);
    await update(refusedId, { comments: 'After the refusal' });
    await until(async () => (await itemsOf(refusedId)).length === 2, 'the later change was queued');
    await patch(b.runtime, `${SYNC}/process-events/${b.processEventId}`, { name: PROCESS_EVENT });

    const otherId = await incident({ short_description: 'Accepted' });
    await until(async () => (await statuses(otherId))[0] === 'processed', 'the other record was sent');
    expect(await statuses(refusedId)).toEqual(['error', 'ready']);
    expect((await remoteSystem(a)).outbound_state).toBe('active');

    await json(await a.runtime.call('POST', `${QUEUE}/${refused?.sys_id}/retry`));
    await until(async () => (await statuses(refusedId)).join() === 'processed,processed', 'the refused record drained after the retry');
    expect((await receivedOn(refusedId)).map((item) => item.sequence)).toEqual([1, 2]);
  });

  it('lets admins skip, reprocess and retry only from the states those apply to, and filter the queue', async () => {
    // A remote system in error holds its items ready (the relay still queues them), for skip to take.
    await a.runtime.store.collection('sync_remote_system').updateOne({ _id: a.remoteSystemId }, { $set: { outbound_state: 'error' } });
    const sysId = await incident({ short_description: 'To skip' });
    await update(sysId, { comments: 'Second' });
    const [first, second] = await until(async () => {
      const found = await itemsOf(sysId);
      return found.length === 2 && found;
    }, 'both changes were queued');

    const problem = async (path: string, status: number) => {
      const response = await a.runtime.call('POST', `${QUEUE}/${path}`);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      return (await response.json()).detail as string;
    };
    expect(await problem(`${first?.sys_id}/retry`, 409)).toMatch(/is ready; retry applies only to items that are error/);
    expect((await json(await a.runtime.call('POST', `${QUEUE}/${first?.sys_id}/skip`))).result.status).toBe('skipped');
    expect((await json(await a.runtime.call('POST', `${QUEUE}/${second?.sys_id}/skip`))).result.status).toBe('skipped');
    expect(await problem(`${first?.sys_id}/reprocess`, 409)).toMatch(/sequence 1 .* but sequence 2 came after it/);
    expect((await json(await a.runtime.call('POST', `${QUEUE}/${second?.sys_id}/reprocess`))).result.status).toBe('ready');
    expect(await problem(`${'f'.repeat(32)}/skip`, 404)).toMatch(/no outbound queue item/);

    await a.runtime.store.collection('sync_remote_system').updateOne({ _id: a.remoteSystemId }, { $set: { outbound_state: 'active' } });
    await until(async () => (await statuses(sysId)).join() === 'skipped,processed', 'the reprocessed item was sent');
    expect((await receivedOn(sysId)).map((item) => item.sequence)).toEqual([2]);

    const skipped = await a.runtime.call('GET', `${QUEUE}?status=skipped&remote_system=${a.remoteSystemId}`);
    expect((await json(skipped)).result.map((item: Item) => item.sys_id)).toEqual([first?.sys_id]);
    expect(skipped.headers.get('x-total-count')).toBe('1');
    const future = await a.runtime.call('GET', `${QUEUE}?created_after=${new Date(Date.now() + 60_000).toISOString()}`);
    expect((await json(future)).result).toEqual([]);
    expect((await a.runtime.call('GET', `${QUEUE}?status=lost`)).status).toBe(400);

    const stats = (await json(await a.runtime.call('GET', `${QUEUE}/stats`))).result;
    expect(stats.by_status).toMatchObject({ processing: 0, skipped: 1, error: 0 });
    expect(stats.processed.last_minute).toBeGreaterThanOrEqual(10);
    expect(stats.processed.last_day).toBe(stats.by_status.processed);
    expect(stats.average_processing_ms_24h).toBeGreaterThanOrEqual(0);
    expect(stats.remote_systems_in_error).toEqual([]);
  });

  it('is for configurers only', async () => {
    const body = { user_name: 'agent', password: 'an-agent-password', roles: ['itil'] };
    await json(await a.runtime.call('POST', '/api/lockstep/v1/users', { body }), 201);
    const auth = basic(body.user_name, body.password);
    expect((await a.runtime.call('GET', QUEUE, { auth })).status).toBe(403);
    expect((await a.runtime.call('GET', `${QUEUE}/stats`, { auth })).status).toBe(403);
  });
});
