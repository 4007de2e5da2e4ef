import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StoredCorrelation } from '../../src/sync/correlation/correlation-store.js';
import { expectProblem } from '../support/problem.js';
import { describeOnEachStore } from '../support/runtime.js';
import { activate, signedPost, startPeerPair, type PeerSide } from './peer-pair.js';
import { change, configureCaseCapture, configureCaseInbound, eventually, ok, queueItem, send } from './inbound-processor-setup.js';

const QUEUE = '/api/lockstep/v1/sync/inbound-queue';

describeOnEachStore('the inbound processor', (variant) => {
  let a: PeerSide;
  let b: PeerSide;
  beforeAll(async () => {
    ({ a, b } = await startPeerPair(variant.settings));
    for (const side of [a, b]) await ok(await activate(side));
    await configureCaseInbound(b);
    await configureCaseCapture(b);
  });
  afterAll(() => Promise.all([a?.runtime.dispose(), b?.runtime.dispose()]));

  const processed = (id: string) => eventually(() => queueItem(b, id), (item) => item.status === 'processed' || item.status === 'error');
  let sentinels = 0;
  /**
   * Resolves once the processor has looked at `held`'s key and passed it over: an envelope of a key of its
   * own, sent after it, has been applied, and the worker looks at the keys it is offered in the order offered.
   */
  const passedOver = async (held: { id: string }) => {
    sentinels += 1;
    const sentinel = change(a, b, `SENTINEL${sentinels}`, 1, { short_description: `after ${held.id}` });
    await send(b, sentinel);
    expect((await processed(sentinel.id)).status).toBe('processed');
  };
  const correlationOf = (senderId: string) => b.runtime.store.collection<StoredCorrelation>('sync_correlation').findOne({ remote_system: b.remoteSystemId, remote_correlation_id: senderId });
  async function caseOf(senderId: string) {
    const correlation = await correlationOf(senderId);
    expect(correlation?.local_table).toBe('case');
    return (await ok(await b.runtime.call('GET', `/api/now/table/case/${correlation?.local_record}`))).result;
  }
  const workNotes = async (senderId: string) => ((await caseOf(senderId)).work_notes as { value: string }[]).map((entry) => entry.value.split('\n')[0]);

  it('creates a case with the mapped fields and a correlation holding the sender\'s id, and echoes nothing back', async () => {
    const insert = change(a, b, 'INC0000001', 1, { short_description: 'Email is down', priority: '2', state: '1' });
    await send(b, insert);
    const item = await processed(insert.id);
    expect(item).toMatchObject({ status: 'processed', error_info: null, transform_context: expect.any(String) });
    expect(item.payload.id).toBe(insert.id);
    expect(await caseOf('INC0000001')).toMatchObject({ short_description: 'Email is down', priority: '2', state: '1' });
    const correlation = await correlationOf('INC0000001');
    expect(correlation).toMatchObject({ remote_system: b.remoteSystemId, remote_correlation_id: 'INC0000001', state: 'active' });
    // B captures case for A, but the flow's write came from A: nothing is queued back to it.
    const outbound = b.runtime.store.collection('sync_outbound_queue');
    expect(await outbound.countDocuments({ remote_system: b.remoteSystemId })).toBe(0);
    // The control: a case a local user writes is captured for A.
    await ok(await b.runtime.call('POST', '/api/now/table/case', { body: { short_description: 'Raised on B' } }), 201);
    expect(await eventually(() => outbound.countDocuments({ remote_system: b.remoteSystemId }), (count) => count > 0)).toBe(1);
  });

  it('applies a later update to the same case, with its work note', async () => {
    const update = change(a, b, 'INC0000001', 2, { short_description: 'Email is down for everyone' }, { work_notes: [{ value: 'Escalated', created_by: 'beth', created_on: '2026-05-01 10:05:00' }] });
    await send(b, update);
    expect((await processed(update.id)).status).toBe('processed');
    expect(await caseOf('INC0000001')).toMatchObject({ short_description: 'Email is down for everyone', priority: '2' });
    expect(await workNotes('INC0000001')).toEqual(['Escalated']);
  });

  it('holds an envelope that arrives before its predecessor, then applies both in order', async () => {
    const note = (value: string) => ({ work_notes: [{ value, created_by: 'beth', created_on: '2026-05-01 11:00:00' }] });
    const first = change(a, b, 'INC0000002', 1, { short_description: 'Printer jam' });
    const second = change(a, b, 'INC0000002', 2, { short_description: 'Printer on fire' }, note('second'));
    const third = change(a, b, 'INC0000002', 3, { short_description: 'Printer replaced' }, note('third'));
    await send(b, first);
    await processed(first.id);
    await send(b, third);
    await passedOver(third);
    expect((await queueItem(b, third.id)).status).toBe('ready');
    await send(b, second);
    expect((await processed(third.id)).status).toBe('processed');
    expect((await queueItem(b, second.id)).status).toBe('processed');
    expect((await caseOf('INC0000002')).short_description).toBe('Printer replaced');
    // Newest first, as journals are read.
    expect(await workNotes('INC0000002')).toEqual(['third', 'second']);
  });

  it('applies a replayed envelope once, and a run redone after a crash once', async () => {
    const update = change(a, b, 'INC0000001', 3, {}, { work_notes: [{ value: 'Once', created_by: 'beth', created_on: '2026-05-01 12:00:00' }] });
    await send(b, update);
    const replay = await signedPost(b, '/api/sync/v1/inbound', { body: JSON.stringify(update) });
    expect((await replay.json()).result.status).toBe('duplicate');
    await processed(update.id);
    // As if the process died after the run finished but before the item and cursor said so.
    await b.runtime.store.collection('sync_inbound_queue').updateOne({ _id: update.id }, { $set: { status: 'ready' } });
    await b.runtime.store.collection('sync_inbound_cursor').updateOne({ _id: `${b.remoteSystemId}:INC0000001` }, { $set: { applied: 2 } });
    const redone = await eventually(() => queueItem(b, update.id), (item) => item.status === 'processed');
    expect(redone.status).toBe('processed');
    expect(await workNotes('INC0000001')).toEqual(['Once', 'Escalated']);
    // As if it died after moving the cursor, before recording the item: the claim released at start left it ready.
    await b.runtime.store.collection('sync_inbound_queue').updateOne({ _id: update.id }, { $set: { status: 'ready' } });
    expect((await eventually(() => queueItem(b, update.id), (item) => item.status === 'processed')).status).toBe('processed');
    expect(await workNotes('INC0000001')).toEqual(['Once', 'Escalated']);
  });

  it('marks a failing run as an error that holds its key, until an admin retries or skips it', async () => {
    const failing = change(a, b, 'INC0000003', 1, { short_description: 'Bad state', state: 'no-such-state' });
    const next = change(a, b, 'INC0000003', 2, { short_description: 'After the bad one' });
    await send(b, failing);
    await send(b, next);
    const failed = await processed(failing.id);
    expect(failed.status).toBe('error');
    expect(failed.error_info).toEqual(expect.any(String));
    await passedOver(next);
    expect((await queueItem(b, next.id)).status).toBe('ready');

    const retried = (await ok(await b.runtime.call('POST', `${QUEUE}/${failing.id}/retry`))).result;
    expect(retried.status).toBe('ready');
    const again = await processed(failing.id);
    expect(again.status).toBe('error');
    expect(again.transform_context).not.toBe(failed.transform_context);

    await expectProblem(await b.runtime.call('POST', `${QUEUE}/${next.id}/retry`), 409, 'invalid-queue-transition');
    expect((await ok(await b.runtime.call('POST', `${QUEUE}/${failing.id}/skip`))).result.status).toBe('skipped');
    expect((await processed(next.id)).status).toBe('processed');
    expect((await caseOf('INC0000003')).short_description).toBe('After the bad one');
    const problem = await expectProblem(await b.runtime.call('POST', `${QUEUE}/${failing.id}/retry`), 409, 'invalid-queue-transition');
    expect(problem.detail).toContain('skipped');
  });

  it('reprocesses only the last applied item of a key', async () => {
    const items = (await ok(await b.runtime.call('GET', `${QUEUE}?status=processed`))).result as { sys_id: string; correlation_key: string; sequence: number }[];
    const key = `${b.remoteSystemId}:INC0000002`;
    const [earlier, last] = [items.find((item) => item.correlation_key === key && item.sequence === 2), items.find((item) => item.correlation_key === key && item.sequence === 3)];
    await expectProblem(await b.runtime.call('POST', `${QUEUE}/${earlier?.sys_id}/reprocess`), 409, 'invalid-queue-transition');
    expect((await ok(await b.runtime.call('POST', `${QUEUE}/${last?.sys_id}/reprocess`))).result.status).toBe('ready');
    expect((await processed(last?.sys_id ?? '')).status).toBe('processed');
    // A new run under a new context applies the fields again, but the work note it added the first time is not added twice.
    expect(await workNotes('INC0000002')).toEqual(['third', 'second']);
  });

  it('sums the queue up for admins, as its list has it', async () => {
    // Of its own, so that the figures hold whichever tests ran before.
    const counted = change(a, b, 'INC0000009', 1, { short_description: 'Counted' });
    await send(b, counted);
    expect((await processed(counted.id)).status).toBe('processed');
    const stats = (await ok(await b.runtime.call('GET', `${QUEUE}/stats`))).result;
    const listed: { status: string }[] = (await ok(await b.runtime.call('GET', `${QUEUE}?limit=1000`))).result;
    const byStatus = Object.fromEntries(['ready', 'processing', 'processed', 'error', 'skipped'].map((status) => [status, listed.filter((item) => item.status === status).length]));
    expect(byStatus.processed).toBeGreaterThanOrEqual(1);
    expect(stats.by_status).toEqual(byStatus);
    // Every item of this test file was processed within the minute.
    expect(stats.processed).toMatchObject({ last_minute: byStatus.processed, last_hour: byStatus.processed, last_day: byStatus.processed });
    expect(stats.average_processing_ms_24h).toEqual(expect.any(Number));
    expect(stats.remote_systems_in_error).toEqual([]);
    await expectProblem(await b.runtime.call('GET', `${QUEUE}/${'f'.repeat(32)}`), 404, 'unknown-queue-item');
  });
});
