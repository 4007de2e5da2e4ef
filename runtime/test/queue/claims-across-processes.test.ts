import { describe, expect, it } from 'vitest';
import { InboundQueue, type InboundQueueItem } from '../../src/sync/inbound/inbound-queue.js';
import { OutboundQueue, type OutboundQueueItem } from '../../src/sync/outbound/outbound-queue.js';
import { embeddedAdapter, mongodbAdapter } from '../store/adapters.js';
import { processesOnOneDatabase } from '../store/processes-on-one-database.js';
import { queuedItem } from '../support/queued-item.js';

const ITEMS = 40;
const LEASE_MS = 60_000;

/** Items of a queue as stored, each of a key of its own, ready. */
function readyItems<T>(prefix: string): T[] {
  return Array.from({ length: ITEMS }, (_, index) => queuedItem({ _id: `${prefix}-${index}`, process_event: 'event', remote_system: 'remote', correlation_key: `${prefix}:${index}` }) as T);
}

/** Each process claims every item at once, as its worker would with the copy it read: the claims that won. */
async function claimAll<T>(claimers: ((item: T) => Promise<T | null>)[], items: T[]): Promise<T[]> {
  const claims = await Promise.all(claimers.flatMap((claim) => items.map((item) => claim(item))));
  return claims.filter((won): won is Awaited<T> & T => won !== null);
}

// A claim is one compare-and-set of the item by its _id. On FerretDB v1, whose findAndModify is a read, then a write,
// the adapter holds a lease on the document for its length (DocumentLeases): that is what keeps two processes from
// both taking one item there. Each "process" is a store of its own on one database, with its own connections and
// in-process write queues; the embedded store is one process's, so there one store stands for them all.
for (const adapter of [embeddedAdapter(), mongodbAdapter()]) {
  describe.skipIf(adapter.skipReason !== undefined)(`queue claims from several processes on the ${adapter.name} store${adapter.skipReason ? ` — ${adapter.skipReason}` : ''}`, () => {
    const processes = processesOnOneDatabase(adapter, 3);

    it('give each outbound and inbound item to exactly one of the processes claiming all of them at once', async () => {
      const stores = await processes();
      const [outbound, inbound] = [stores.map((store) => new OutboundQueue(store)), stores.map((store) => new InboundQueue(store))];
      await Promise.all([outbound[0]!.prepare(), inbound[0]!.prepare()]);
      const [outboundItems, inboundItems] = [readyItems<OutboundQueueItem>('out'), readyItems<InboundQueueItem>('in')];
      await stores[0]!.collection<OutboundQueueItem>('sync_outbound_queue').insertMany(outboundItems);
      await stores[0]!.collection<InboundQueueItem>('sync_inbound_queue').insertMany(inboundItems);
      const now = Date.now();
      const won = [
        await claimAll(outbound.map((queue) => (item: OutboundQueueItem) => queue.claim(item, now, now + LEASE_MS)), outboundItems),
        await claimAll(inbound.map((queue) => (item: InboundQueueItem) => queue.claim(item, now, now + LEASE_MS)), inboundItems),
      ];
      for (const claimed of won) {
        expect(claimed).toHaveLength(ITEMS);
        expect(new Set(claimed.map(({ _id }) => _id)).size).toBe(ITEMS);
        expect(claimed.every(({ status }) => status === 'processing')).toBe(true);
      }
    });

    it('keep an item whose lease ran out from every process until it is released, then give it to one', async () => {
      const stores = await processes();
      const queues = stores.map((store) => new OutboundQueue(store));
      const [item] = readyItems<OutboundQueueItem>('lapsed');
      await stores[0]!.collection<OutboundQueueItem>('sync_outbound_queue').insertOne(item!);
      expect(await queues[0]!.claim(item!, 1_000, 2_000)).not.toBeNull();
      expect(await claimAll(queues.map((queue) => (ready: OutboundQueueItem) => queue.claim(ready, 3_000, 63_000)), [item!])).toHaveLength(0);
      expect(await queues.at(-1)!.releaseExpired(3_000)).toBe(1);
      expect(await claimAll(queues.map((queue) => (ready: OutboundQueueItem) => queue.claim(ready, 3_000, 63_000)), [item!])).toHaveLength(1);
    });
  });
}
