import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredFlowContexts } from '../../src/flows/context-store.js';
import type { DocumentStore } from '@lockstep/store';
import { InboundCursors } from '../../src/sync/inbound/inbound-cursor.js';
import { InboundQueue } from '../../src/sync/inbound/inbound-queue.js';
import { OutboundQueue } from '../../src/sync/outbound/outbound-queue.js';
import { QueueCleaner, defaultQueueRetention } from '../../src/sync/retention/queue-cleaner.js';
import { storeAdapters } from '../store/adapters.js';
import { queuedItem } from '../support/queued-item.js';

const DAY = 86_400_000;
const REMOTE = 'cc'.repeat(16);
const statuses = ['processed', 'skipped', 'error', 'ready', 'processing'] as const;

describe.each(storeAdapters().map((adapter) => [adapter.name, adapter] as const))('the queue cleaner on the %s store', (_name, adapter) => {
  let store: DocumentStore;
  const t0 = Date.now();
  let clock = t0;
  let cleaner: QueueCleaner;

  const ids = async (collection: string) => (await store.collection(collection).find({}, { sort: { _id: 1 } })).map((found) => found._id).toSorted();

  /** Sweeps until a pass finds no full batch, as the cleaner's loop does; how many passes it took. */
  const sweepAll = async () => {
    let passes = 1;
    while (await cleaner.sweep()) passes += 1;
    return passes;
  };

  beforeAll(async () => {
    if (adapter.skipReason !== undefined) return;
    store = await adapter.open();
    const outbound = new OutboundQueue(store);
    const inbound = new InboundQueue(store);
    const contexts = new StoredFlowContexts(store);
    await Promise.all([outbound.prepare(), inbound.prepare(), contexts.prepare()]);
    // Two items of each state on each side queued at t0, and one queued 20 days later; each names the context of its last run.
    const item = (side: string, status: string, n: number, at: number) =>
      queuedItem({ _id: `${side}-${status}-${n}`, status, sequence: n, process_event: 'aa'.repeat(16), remote_system: REMOTE, correlation_key: `${side}:${status}`, created_at: at, [side === 'out' ? 'flow_context' : 'transform_context']: `ctx-${side}-${status}-${n}` });
    for (const [side, collection] of [['out', 'sync_outbound_queue'], ['in', 'sync_inbound_queue']] as const) {
      await store.collection(collection).insertMany(statuses.flatMap((status) => [item(side, status, 1, t0), item(side, status, 2, t0), item(side, status, 3, t0 + 20 * DAY)]));
      const runs = statuses.flatMap((status) => [1, 2, 3].map((n) => ({ _id: `ctx-${side}-${status}-${n}`, status: status === 'processing' ? 'running' : status === 'error' ? 'error' : 'completed', created_at: t0, updated_at: t0 })));
      await store.collection('sys_flow_context').insertMany(runs);
    }
    // A failed attempt at t0, for the dashboard's error series.
    await store.collection('sync_outbound_queue_errors').insertOne({ _id: 'error-at-t0', at: t0, item: 'out-error-1', remote_system: REMOTE, sys_domain: 'global', retried: true });
    cleaner = new QueueCleaner([outbound, inbound], contexts, defaultQueueRetention, pino({ level: 'silent' }), () => clock, 2);
  });
  afterAll(async () => {
    await store?.close();
    await adapter.dispose();
  });

  it.skipIf(adapter.skipReason !== undefined)('keeps everything younger than its retention', async () => {
    clock = t0 + 6 * DAY;
    await sweepAll();
    expect(await ids('sync_outbound_queue')).toHaveLength(15);
    expect(await ids('sync_inbound_queue')).toHaveLength(15);
    expect(await ids('sys_flow_context')).toHaveLength(30);
  });

  it.skipIf(adapter.skipReason !== undefined)('removes Processed and Skipped items after 7 days, with their contexts, in batches', async () => {
    clock = t0 + 8 * DAY;
    expect(await sweepAll()).toBeGreaterThan(1);
    for (const side of ['out', 'in']) {
      const left = await ids(side === 'out' ? 'sync_outbound_queue' : 'sync_inbound_queue');
      expect(left.filter((id) => /-(processed|skipped)-[12]$/.test(id))).toEqual([]);
      expect(left).toEqual(expect.arrayContaining([`${side}-processed-3`, `${side}-skipped-3`, `${side}-error-1`, `${side}-ready-2`, `${side}-processing-1`]));
    }
    const contexts = await ids('sys_flow_context');
    expect(contexts).not.toContain('ctx-out-processed-1');
    expect(contexts).toContain('ctx-out-error-1');
  });

  it.skipIf(adapter.skipReason !== undefined)('with the clock 31 days on, leaves only what the policy keeps', async () => {
    clock = t0 + 31 * DAY;
    await sweepAll();
    // Those being processed, whatever their age, and the Error and Ready ones queued 11 days before: nothing else.
    const kept = (side: string) => [1, 2, 3].map((n) => `${side}-processing-${n}`).concat(`${side}-error-3`, `${side}-ready-3`).toSorted();
    expect(await ids('sync_outbound_queue')).toEqual(kept('out'));
    expect(await ids('sync_inbound_queue')).toEqual(kept('in'));
    // The contexts of removed items went with them; a running run's context is never removed.
    const contextsKept = ['out', 'in'].flatMap((side) => kept(side).map((id) => `ctx-${id}`)).toSorted();
    expect(await ids('sys_flow_context')).toEqual(contextsKept);
    expect(await ids('sync_outbound_queue_errors')).toEqual([]);
    // Their settled items all gone, the inbound keys still show how far they were applied (kept in their stored cursors): a repeat is refused, the next item goes.
    const cursors = new InboundCursors(store, store.collection('sync_inbound_queue'));
    expect(await cursors.applied('in:processed')).toBe(3);
    expect(await cursors.applied('in:skipped')).toBe(3);
  });
});
