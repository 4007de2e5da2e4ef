import pino from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { DocumentStore, StoreOperation } from '@lockstep/store';
import { KeyedWorker } from '../../src/queue/keyed-worker.js';
import type { KeyChoice, KeyedWork, Scanned } from '../../src/queue/keyed-work.js';
import { InboundQueue, type InboundQueueItem } from '../../src/sync/inbound/inbound-queue.js';
import { embeddedAdapter, mongodbAdapter } from '../store/adapters.js';
import { until } from '../support/until.js';
import { envelopeFrom } from './peer-pair.js';

const consumer = { remoteSystemId: 'consumer-system', name: 'consumer' };
const provider = { remoteSystemId: 'provider-system' };
const target = { remoteSystem: consumer.remoteSystemId, processEvent: 'incident-event', domain: 'global' };

/**
 * The inbound queue's items worked by a worker that takes each in sequence
 * and records it processed when `handle` is let through: the queue's own
 * claim and settle, on a real store.
 */
class ApplyInOrder implements KeyedWork<InboundQueueItem> {
  readonly gates: (() => void)[] = [];
  /** Scans made: the worker admits nothing before its first has offered what it found. */
  scans = 0;
  private readonly applied = new Map<string, number>();

  constructor(private readonly queue: InboundQueue) {}

  offersAll(): boolean {
    return true;
  }

  async scan(): Promise<Scanned<InboundQueueItem>> {
    this.scans += 1;
    return { items: [] };
  }

  async choose([head]: readonly InboundQueueItem[]): Promise<KeyChoice<InboundQueueItem>> {
    return head && head.sequence === (this.applied.get(head.correlation_key) ?? 0) + 1 ? { take: head } : { wait: true };
  }

  claim(item: InboundQueueItem, now: number, leaseUntil: number): Promise<InboundQueueItem | null> {
    return this.queue.claim(item, now, leaseUntil);
  }

  renewClaim(): Promise<void> {
    return Promise.resolve();
  }

  releaseExpired(): Promise<number> {
    return Promise.resolve(0);
  }

  nextReady(): Promise<InboundQueueItem | null> {
    return Promise.resolve(null);
  }

  async handle(item: InboundQueueItem): Promise<void> {
    await new Promise<void>((resolve) => this.gates.push(resolve));
    this.applied.set(item.correlation_key, item.sequence);
    await this.queue.settle(item, { status: 'processed', finished_at: Date.now() });
  }
}

/*
 * An item its worker takes as soon as it is queued is stored claimed: the
 * insert is its claim, and no compare-and-set follows. One that has to wait
 * for its turn is queued ready and claimed when its turn comes.
 */
for (const adapter of [embeddedAdapter(), mongodbAdapter()]) {
  describe.skipIf(adapter.skipReason !== undefined)(`items stored claimed on the ${adapter.name} store${adapter.skipReason ? ` — ${adapter.skipReason}` : ''}`, () => {
    let store: DocumentStore;
    const workers: KeyedWorker<InboundQueueItem>[] = [];
    afterAll(async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
      await store?.close();
      await adapter.dispose();
    });

    it('claims none for an item its worker takes at once, and one for the item that waited behind it', async () => {
      vi.stubEnv('LOCKSTEP_COUNT_STORE_OPS', '1');
      try {
        store = await adapter.open();
      } finally {
        vi.unstubAllEnvs();
      }
      await until(async () => store.aloneSince() !== undefined, 'the process holds its database alone');
      const heard: StoreOperation[] = [];
      store.onOperation((operation) => heard.push(operation));
      const queue = new InboundQueue(store);
      await queue.prepare();
      const work = new ApplyInOrder(queue);
      const worker = new KeyedWorker(work, pino({ level: 'silent' }), 'inbound queue', { scanIntervalMs: 60_000 });
      workers.push(worker);
      queue.onReady((item) => worker.offer(item));
      queue.admitWith((item) => worker.admit(item));
      await worker.start(false);
      await until(async () => work.scans > 0, 'the worker scanned its queue');

      const first = await queue.enqueue(envelopeFrom(consumer, provider, { sequence: 1 }), target);
      const second = await queue.enqueue(envelopeFrom(consumer, provider, { sequence: 2 }), target);
      if (first.duplicate || second.duplicate) throw new Error('neither envelope was queued before');
      expect([first.item.status, second.item.status]).toEqual(['processing', 'ready']);
      expect(first.item.started_at).not.toBeNull();

      await until(async () => work.gates.length === 1, 'the first item is being worked');
      work.gates.shift()?.();
      await until(async () => work.gates.length === 1, 'the second item is being worked');
      work.gates.shift()?.();
      await until(async () => (await queue.get(second.item._id))?.status === 'processed', 'both items were processed');
      expect((await queue.get(first.item._id))?.status).toBe('processed');
      const claims = heard.filter(({ collection, kind }) => collection === 'sync_inbound_queue' && kind === 'findAndModify');
      expect(claims).toHaveLength(1);
      expect(claims[0]?.filter).toMatchObject({ _id: second.item._id, status: 'ready' });
    });
  });
}
