import { afterAll, describe, expect, it } from 'vitest';
import type { SyncEnvelope } from '@lockstep/schema';
import { inboundCorrelationKey, InboundQueue, type InboundQueueItem } from '../../src/sync/inbound/inbound-queue.js';
import { embeddedAdapter, mongodbAdapter } from '../store/adapters.js';
import { openHeard, type HeardStore } from '../store/heard-store.js';
import { until } from '../support/until.js';
import { envelopeFrom } from './peer-pair.js';

const consumer = { remoteSystemId: 'consumer-system', name: 'consumer' };
const provider = { remoteSystemId: 'provider-system' };
const target = { remoteSystem: consumer.remoteSystemId, processEvent: 'incident-event', domain: 'global' };

/** An envelope of `record`'s change `sequence`, under an id of its own. */
function change(record: string, sequence: number): SyncEnvelope {
  return envelopeFrom(consumer, provider, { sequence, correlation: { sender_id: record, receiver_id: null } });
}

/*
 * A key's first item reads only the key's stored cursor: with none (no
 * settled item of the key was ever removed here), its insert, which the
 * unique index on key and sequence refuses for a repeat, is the rest of the
 * check, and a refused one gives back what was taken for the key. Each "process" is a
 * store of its own on the adapter's database.
 */
for (const adapter of [embeddedAdapter(), mongodbAdapter()]) {
  describe.skipIf(adapter.skipReason !== undefined)(`the first items of keys queued on the ${adapter.name} store${adapter.skipReason ? ` — ${adapter.skipReason}` : ''}`, () => {
    const opened: HeardStore[] = [];
    afterAll(async () => {
      await Promise.all(opened.map(({ store }) => store.close()));
      await adapter.dispose();
    });

    /** A process's inbound queue, alone on the database (the one before it has closed), and its reads so far. */
    const openQueue = async ({ prepared = true } = {}) => {
      await Promise.all(opened.splice(0).map(({ store }) => store.close()));
      const heard = await openHeard(adapter, opened);
      await until(async () => heard.store.aloneSince() !== undefined, 'the process holds its database alone');
      const queue = new InboundQueue(heard.store);
      if (prepared) await queue.prepare();
      const reads = (collection: string) => heard.operations.filter((operation) => operation.collection === collection && operation.kind === 'find').length;
      return { heard, queue, settledReads: () => reads('sync_inbound_queue'), cursorReads: () => reads('sync_inbound_cursor') };
    };

    /** The item claimed, then settled as the processor settles it: `processed` moves its key on. */
    const settleAs = async (queue: InboundQueue, item: InboundQueueItem, status: 'processed' | 'error') => {
      const claimed = await queue.claim(item, Date.now(), Date.now() + 60_000);
      if (!claimed) throw new Error(`item ${item._id} was not ready to claim`);
      const settle = () => queue.settle(claimed, { status, finished_at: Date.now(), ...(status === 'error' && { error_info: 'the run failed' }) });
      await (status === 'processed' ? queue.cursors.recorded(item.correlation_key, item.sequence, settle) : settle());
    };

    /** The first item of `record`'s key, queued in a process of its own, settled in `status`, then removed by retention. */
    const removedFirst = async (record: string, status: 'processed' | 'error') => {
      const { queue } = await openQueue();
      const first = await queue.enqueue(change(record, 1), target);
      if (first.duplicate) throw new Error('the first envelope was queued');
      await settleAs(queue, first.item, status);
      await removeAsRetention(queue, first.item);
      return inboundCorrelationKey(consumer.remoteSystemId, record);
    };

    /** The item as retention removes it, in the state it is stored in. */
    const removeAsRetention = async (queue: InboundQueue, item: InboundQueueItem) => {
      const stored = await queue.get(item._id);
      if (!stored) throw new Error(`item ${item._id} is there`);
      expect(await queue.remove([stored], stored.status)).toBe(1);
    };

    it('reads how far the key went on a store whose queue holds a sequence twice, which the index cannot refuse', async () => {
      // The first test: no queue has made the unique index on this database yet.
      const { heard } = await openQueue({ prepared: false });
      const twice = { correlation_key: 'from-before', sequence: 1, status: 'processed', created_at: Date.now() };
      await heard.store.collection('sync_inbound_queue').insertMany([{ _id: 'before-1', ...twice }, { _id: 'before-2', ...twice }]);
      const legacy = await openQueue();
      expect((await legacy.queue.enqueue(change('legacy-store', 1), target)).duplicate).toBe(false);
      expect(legacy.settledReads()).toBeGreaterThan(0);
      // Mended, as an admin would: the next process's queue makes the index.
      await legacy.heard.store.collection('sync_inbound_queue').deleteMany({ _id: 'before-2' });
    });

    it('queues a first item after a read of its stored cursor alone, refuses its repeat by the index, and reads the key again after one', async () => {
      const { queue, settledReads, cursorReads } = await openQueue();
      const key = inboundCorrelationKey(consumer.remoteSystemId, 'fresh');
      const first = await queue.enqueue(change('fresh', 1), target);
      expect(first.duplicate).toBe(false);
      expect(await queue.cursors.applied(key)).toBe(0);
      expect([settledReads(), cursorReads()]).toEqual([0, 1]);

      // The same change again under another envelope id, while the first waits: the index refuses it.
      expect(await queue.enqueue(change('fresh', 1), target)).toEqual({ duplicate: true });
      expect(await queue.cursors.applied(key)).toBe(0);
      if (first.duplicate) throw new Error('the first envelope was queued');
      await settleAs(queue, first.item, 'processed');

      // After a restart, nothing known and no stored cursor: the repeat is refused by the index, and what was
      // taken for the key is given back, so that it is read (applied 1, from its processed item).
      const restarted = await openQueue();
      expect(await restarted.queue.enqueue(change('fresh', 1), target)).toEqual({ duplicate: true });
      expect(restarted.settledReads()).toBe(0);
      expect(await restarted.queue.cursors.applied(key)).toBe(1);
      expect(restarted.settledReads()).toBe(1);
      const second = await restarted.queue.enqueue(change('fresh', 2), target);
      expect(second.duplicate).toBe(false);
    });

    it('refuses a first item again once retention removed it applied, by the stored cursor', async () => {
      const key = await removedFirst('removed', 'processed');
      const restarted = await openQueue();
      expect(await restarted.queue.enqueue(change('removed', 1), target)).toEqual({ duplicate: true });
      expect(await restarted.queue.cursors.applied(key)).toBe(1);
    });

    it('queues a first item again once retention removed it unapplied: nothing of its key was applied', async () => {
      // Its run failed, and it stayed in error until retention removed it.
      const key = await removedFirst('failed', 'error');
      const restarted = await openQueue();
      const again = await restarted.queue.enqueue(change('failed', 1), target);
      expect(again.duplicate).toBe(false);
      expect(await restarted.queue.cursors.applied(key)).toBe(0);
    });
  });
}
