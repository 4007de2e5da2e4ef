import { afterAll, beforeAll, expect, it } from 'vitest';
import { bucketStarts } from '../../src/sync/dashboard/dashboard-routes.js';
import { OutboundQueue } from '../../src/sync/outbound/outbound-queue.js';
import { queuedItem } from '../support/queued-item.js';
import { expectProblem } from '../support/problem.js';
import { basic, describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { until } from '../support/until.js';

const DASHBOARD = '/api/lockstep/v1/sync/dashboard';
const MINUTE = 60_000;
const REMOTE = 'ab'.repeat(16);

interface Figures {
  by_status: Record<string, number>;
  processed: { last_minute: number; last_hour: number; last_day: number };
  average_processing_ms_24h: number | null;
  last_queued_at: number | null;
  last_processed_at: number | null;
}

/** A queue item as the queues store it, with what the dashboard reads; the remote system is not active, so no worker takes it. */
function item(id: string, status: string, domain: string, createdAgoMs: number, finished: { agoMs: number; processingMs: number } | undefined, now: number) {
  return {
    _id: id,
    status,
    process_event: 'cd'.repeat(16),
    remote_system: REMOTE,
    operation: 'update',
    correlation_key: `incident:${id}:${REMOTE}`,
    sequence: 1,
    payload_json: '{}',
    sys_domain: domain,
    created_at: now - createdAgoMs,
    started_at: finished ? now - finished.agoMs - finished.processingMs : null,
    finished_at: finished ? now - finished.agoMs : null,
    time_in_queue_ms: null,
    processing_ms: finished?.processingMs ?? null,
    error_info: status === 'error' ? 'refused' : null,
  };
}

describeOnEachStore('the sync dashboard', (variant) => {
  let runtime: TestRuntime;
  const now = Date.now();
  const acme = { user_name: 'dash.acme', password: 'acme-password', roles: ['ih_process_sync'], sys_domain: 'global/acme' };
  const agent = { user_name: 'dash.agent', password: 'agent-password', roles: ['itil'] };
  const get = async (path: string, auth?: string) => {
    const response = await runtime.call('GET', path, auth === undefined ? {} : { auth });
    expect(response.status, path).toBe(200);
    return (await response.json()).result;
  };

  beforeAll(async () => {
    runtime = await startTestRuntime(variant.settings());
    for (const user of [acme, agent]) expect((await runtime.call('POST', '/api/lockstep/v1/users', { body: user })).status).toBe(201);
    await runtime.store.collection('sync_outbound_queue').insertMany([
      item('o1', 'processed', 'global/acme', 11_000, { agoMs: 10_000, processingMs: 100 }, now),
      item('o2', 'processed', 'global/acme', 31 * MINUTE, { agoMs: 30 * MINUTE, processingMs: 300 }, now),
      item('o3', 'processed', 'global/acme', 301 * MINUTE, { agoMs: 300 * MINUTE, processingMs: 200 }, now),
      item('o4', 'processed', 'global/acme', 3000 * MINUTE, { agoMs: 2900 * MINUTE, processingMs: 5000 }, now),
      item('o5', 'error', 'global/acme', 21 * MINUTE, { agoMs: 20 * MINUTE, processingMs: 50 }, now),
      item('o6', 'ready', 'global/acme', 1000, undefined, now),
      item('o7', 'skipped', 'global/acme', 100 * MINUTE, undefined, now),
      item('o8', 'processed', 'global/beta', 6000, { agoMs: 5000, processingMs: 900 }, now),
    ]);
    await runtime.store.collection('sync_inbound_queue').insertMany([item('i1', 'processed', 'global/beta', 3000, { agoMs: 2000, processingMs: 40 }, now)]);
    // Failed attempts as the queue logs them: o5's, and one of o2's before it was processed, retried after it.
    await runtime.store.collection('sync_outbound_queue_errors').insertMany([
      { _id: 'e1', at: now - 20 * MINUTE, item: 'o5', remote_system: REMOTE, sys_domain: 'global/acme', retried: false },
      { _id: 'e2', at: now - 31 * MINUTE - 500, item: 'o2', remote_system: REMOTE, sys_domain: 'global/acme', retried: true },
    ]);
    await runtime.store.collection('sync_remote_system').insertMany([
      { _id: REMOTE, name: 'Provider of beta', process_sync_definition: 'ef'.repeat(16), inbound_state: 'active', outbound_state: 'error', sys_domain: 'global/beta' },
    ]);
  });
  afterAll(() => runtime?.dispose());

  it('counts each queue by state, processed in the last minute, hour and day, the mean processing time over 24 h and the last activity', async () => {
    const result = await get(DASHBOARD);
    const outbound: Figures = result.outbound;
    expect(outbound.by_status).toEqual({ ready: 1, processing: 0, processed: 5, error: 1, skipped: 1 });
    expect(outbound.processed).toEqual({ last_minute: 2, last_hour: 3, last_day: 4 });
    expect(outbound.average_processing_ms_24h).toBe(Math.round((100 + 300 + 200 + 900) / 4));
    expect(outbound.last_queued_at).toBe(now - 1000);
    expect(outbound.last_processed_at).toBe(now - 5000);
    expect(result.inbound.processed).toEqual({ last_minute: 1, last_hour: 1, last_day: 1 });
    expect(result.inbound.last_queued_at).toBe(now - 3000);
    expect(result.remote_systems).toEqual([{ sys_id: REMOTE, name: 'Provider of beta', process_sync_definition: 'ef'.repeat(16), inbound_state: 'active', outbound_state: 'error' }]);
  });

  it("shows a caller only its domain's items and remote systems", async () => {
    const result = await get(DASHBOARD, basic(acme.user_name, acme.password));
    expect(result.outbound.processed).toEqual({ last_minute: 1, last_hour: 2, last_day: 3 });
    expect(result.outbound.average_processing_ms_24h).toBe(200);
    expect(result.outbound.last_processed_at).toBe(now - 10_000);
    expect(result.inbound).toMatchObject({ by_status: { processed: 0 }, average_processing_ms_24h: null, last_queued_at: null, last_processed_at: null });
    expect(result.remote_systems).toEqual([]);
  });

  it('gives a time series of processed and failed items, by minute over the last hour or by hour over the last day', async () => {
    const byMinute = await get(`${DASHBOARD}?bucket=minute`);
    expect(byMinute.series.bucket_ms).toBe(MINUTE);
    expect(byMinute.series.starts).toHaveLength(60);
    const bucketOf = (at: number) => byMinute.series.starts.findIndex((start: number) => at >= start && at < start + MINUTE);
    const processed: number[] = byMinute.series.outbound.processed;
    expect(processed[bucketOf(now - 10_000)]).toBeGreaterThanOrEqual(1);
    expect(processed.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(byMinute.series.outbound.errors[bucketOf(now - 20 * MINUTE)]).toBe(1);
    // Retried, then processed: the error still counts where it happened.
    expect(byMinute.series.outbound.errors[bucketOf(now - 31 * MINUTE - 500)]).toBe(1);
    const byHour = await get(DASHBOARD);
    expect(byHour.series.starts).toHaveLength(24);
    expect(byHour.series.outbound.processed.reduce((sum: number, count: number) => sum + count, 0)).toBe(4);
  });

  it('counts an attempt that failed and was retried, though its item was processed after it', async () => {
    const queue = new OutboundQueue(runtime.store);
    const retried = queuedItem({ _id: 'retried-then-sent', process_event: 'cd'.repeat(16), remote_system: REMOTE, correlation_key: `incident:r:${REMOTE}`, sys_domain: 'global/acme' });
    await runtime.store.collection('sync_outbound_queue').insertOne(retried);
    const errorsNow = async () => {
      const { series } = await get(`${DASHBOARD}?bucket=minute`);
      return (series.outbound.errors as number[]).at(-1);
    };
    const before = await errorsNow();
    const first = await queue.claim((await queue.get(retried._id))!, Date.now(), Date.now() + MINUTE);
    await queue.transition(first!._id, 'processing', { status: 'ready', retry: { attempts: 1, next_attempt_at: Date.now(), last_error: 'peer unavailable' }, lease_until: null });
    const second = await queue.claim((await queue.get(retried._id))!, Date.now(), Date.now() + MINUTE);
    await queue.transition(second!._id, 'processing', { status: 'processed', finished_at: Date.now(), lease_until: null });
    // The log is written after the move, in the background: the dashboard shows it once written.
    await until(async () => (await errorsNow()) === (before ?? 0) + 1, 'the retried attempt is in the error series');
    expect((await queue.get(retried._id))?.status).toBe('processed');
  });

  it('refuses bad parameters and callers without the role, saying why', async () => {
    const bad = await expectProblem(await runtime.call('GET', `${DASHBOARD}?bucket=week`), 400, 'invalid-parameter');
    expect(bad.errors?.[0]?.path).toBe('bucket');
    await expectProblem(await runtime.call('GET', `${DASHBOARD}?since=1`), 400, 'invalid-parameter');
    const refused = await expectProblem(await runtime.call('GET', DASHBOARD, { auth: basic(agent.user_name, agent.password) }), 403, 'missing-role');
    expect(refused.detail).toContain('ih_process_sync');
  });
});

it('aligns bucket starts to the bucket size, the last one holding now', () => {
  expect(bucketStarts(10 * MINUTE + 5, MINUTE, 3)).toEqual([8 * MINUTE, 9 * MINUTE, 10 * MINUTE]);
});
