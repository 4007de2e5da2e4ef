import { afterAll, describe, expect, it } from 'vitest';
import type { SyncEnvelope } from '@lockstep/schema';
import { DAY_MS } from '../../src/flows/context-retention.js';
import { inboundCorrelationKey, InboundQueue, type InboundQueueItem } from '../../src/sync/inbound/inbound-queue.js';
import { firstOfNewKey } from '../../src/sync/inbound/new-key.js';
import { toDateTime } from '../../src/time.js';
import { embeddedAdapter, mongodbAdapter } from '../store/adapters.js';
import { openHeard, type HeardStore } from '../store/heard-store.js';
import { until } from '../support/until.js';
import { envelopeFrom } from './peer-pair.js';

const consumer = { remoteSystemId: 'consumer-system', name: 'consumer' };
const provider = { remoteSystemId: 'provider-system' };
const target = { remoteSystem: consumer.remoteSystemId, processEvent: 'incident-event', domain: 'global' };
const RETENTION_MS = 7 * DAY_MS;

/** An envelope of `record`'s change `sequence`, made on the sender `ageMs` ago. */
function change(record: string, sequence: number, ageMs = 0): SyncEnvelope {
  const envelope = envelopeFrom(consumer, provider, { sequence, correlation: { sender_id: record, receiver_id: null } });
  return { ...envelope, payload: { ...envelope.payload, metadata: { ...envelope.payload.metadata, changed_on: toDateTime(new Date(Date.now() - ageMs)) } } };
}

describe('the first item of a new key', () => {
  const now = Date.parse('2026-12-05T12:00:00Z');
  const stamped = (sequence: number, changedOn: string) => {
    const envelope = envelopeFrom(consumer, provider, { sequence });
    return { ...envelope, payload: { ...envelope.payload, metadata: { ...envelope.payload.metadata, changed_on: changedOn } } };
  };

  it('is sequence 1, made less than half the retention of settled items from now, either way', () => {
    expect(firstOfNewKey(stamped(1, '2026-12-05 11:59:00'), RETENTION_MS, now)).toBe(true);
    expect(firstOfNewKey(stamped(1, '2026-12-02 12:00:01'), RETENTION_MS, now)).toBe(true);
    // The sender's clock ahead of this one's, within the same allowance.
    expect(firstOfNewKey(stamped(1, '2026-12-08 11:59:59'), RETENTION_MS, now)).toBe(true);
  });

  it('is not a later sequence, an older change, one stamped far ahead, one unstamped, nor any where settled items are not kept', () => {
    expect(firstOfNewKey(stamped(2, '2026-12-05 11:59:00'), RETENTION_MS, now)).toBe(false);
    expect(firstOfNewKey(stamped(1, '2026-12-01 23:59:59'), RETENTION_MS, now)).toBe(false);
    expect(firstOfNewKey(stamped(1, '2026-12-09 00:00:01'), RETENTION_MS, now)).toBe(false);
    expect(firstOfNewKey(stamped(1, 'yesterday'), RETENTION_MS, now)).toBe(false);
    expect(firstOfNewKey(stamped(1, '2026-12-05 11:59:00'), 0, now)).toBe(false);
  });
});

/*
 * A key's first item, made on its sender more recently than retention
 * removes settled items, is queued with no read of how far its key went: the
 * unique index on key and sequence refuses its repeat, and a refused one
 * lets go of what was taken for the key. Each "process" is a store of its
 * own on the adapter's database.
 */
for (const adapter of [embeddedAdapter(), mongodbAdapter()]) {
  describe.skipIf(adapter.skipReason !== undefined)(`the first items of keys queued on the ${adapter.name} store${adapter.skipReason ? ` — ${adapter.skipReason}` : ''}`, () => {
    const opened: HeardStore[] = [];
    afterAll(async () => {
      await Promise.all(opened.map(({ store }) => store.close()));
      await adapter.dispose();
    });

    /** A process's inbound queue, alone on the database: the one before it has closed. */
    const openQueue = async ({ prepared = true } = {}) => {
      await Promise.all(opened.splice(0).map(({ store }) => store.close()));
      const heard = await openHeard(adapter, opened);
      await until(async () => heard.store.aloneSince() !== undefined, 'the process holds its database alone');
      const queue = new InboundQueue(heard.store, RETENTION_MS);
      if (prepared) await queue.prepare();
      const reads = () => heard.operations.filter(({ collection, kind }) => ['sync_inbound_queue', 'sync_inbound_cursor'].includes(collection) && kind === 'find').length;
      return { heard, queue, reads };
    };

    /** The item claimed and recorded as applied, as the processor records it. */
    const apply = async (queue: InboundQueue, item: InboundQueueItem) => {
      const claimed = await queue.claim(item, Date.now(), Date.now() + 60_000);
      if (!claimed) throw new Error(`item ${item._id} was not ready to claim`);
      await queue.cursors.recorded(item.correlation_key, item.sequence, () => queue.settle(claimed, { status: 'processed', finished_at: Date.now() }));
    };

    it('reads how far the key went on a store whose queue holds a sequence twice, which the index cannot refuse', async () => {
      // The first test: no queue has made the unique index on this database yet.
      const { heard } = await openQueue({ prepared: false });
      const twice = { correlation_key: 'from-before', sequence: 1, status: 'processed', created_at: Date.now() };
      await heard.store.collection('sync_inbound_queue').insertMany([{ _id: 'before-1', ...twice }, { _id: 'before-2', ...twice }]);
      const legacy = await openQueue();
      expect((await legacy.queue.enqueue(change('legacy-store', 1), target)).duplicate).toBe(false);
      expect(legacy.reads()).toBeGreaterThan(0);
      // Mended, as an admin would: the next process's queue makes the index.
      await legacy.heard.store.collection('sync_inbound_queue').deleteMany({ _id: 'before-2' });
    });

    it('queues a young first item unread, refuses its repeat by the index, and reads the key again after one', async () => {
      const { queue, reads } = await openQueue();
      const key = inboundCorrelationKey(consumer.remoteSystemId, 'young');
      const first = await queue.enqueue(change('young', 1), target);
      expect(first.duplicate).toBe(false);
      expect(await queue.cursors.applied(key)).toBe(0);
      expect(reads()).toBe(0);

      // The same change again under another envelope id: the index refuses it, and the key is read when next asked.
      expect(await queue.enqueue(change('young', 1), target)).toEqual({ duplicate: true });
      expect(await queue.cursors.applied(key)).toBe(0);
      expect(reads()).toBeGreaterThan(0);
      if (first.duplicate) throw new Error('the first envelope was queued');
      await apply(queue, first.item);

      // After a restart, nothing known: a repeat is refused, and what was taken for the new key is not kept.
      const restarted = await openQueue();
      expect(await restarted.queue.enqueue(change('young', 1), target)).toEqual({ duplicate: true });
      expect(await restarted.queue.cursors.applied(key)).toBe(1);
      const second = await restarted.queue.enqueue(change('young', 2), target);
      expect(second.duplicate).toBe(false);
    });

    it('reads how far the key went for a first item older than half the retention: its repeat is refused once retention removed it', async () => {
      const { queue, reads } = await openQueue();
      const key = inboundCorrelationKey(consumer.remoteSystemId, 'old');
      const fiveDays = 5 * DAY_MS;
      const first = await queue.enqueue(change('old', 1, fiveDays), target);
      if (first.duplicate) throw new Error('the first envelope was queued');
      expect(reads()).toBeGreaterThan(0);
      await apply(queue, first.item);
      const processed = await queue.get(first.item._id);
      if (!processed) throw new Error('the processed item is there');
      expect(await queue.remove([processed], 'processed')).toBe(1);

      const restarted = await openQueue();
      expect(await restarted.queue.enqueue(change('old', 1, fiveDays), target)).toEqual({ duplicate: true });
      expect(await restarted.queue.cursors.applied(key)).toBe(1);
    });

  });
}
