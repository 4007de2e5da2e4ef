import type { DocumentStore } from '@lockstep/store';
import type { Logger } from 'pino';
import { KeyedWorker } from '../../queue/keyed-worker.js';
import type { KeyChoice, KeyedWork, Scanned } from '../../queue/keyed-work.js';
import { MOST_READ_PER_SCAN, type WorkerOptions } from '../../queue/worker-options.js';
import type { LinkHealth } from '../link/link-health.js';
import type { InboundQueue, InboundQueueItem } from './inbound-queue.js';
import { inboundContextId, runInboundItem, type InboundRunParts } from './processor-run.js';

export interface InboundProcessorParts extends InboundRunParts {
  queue: InboundQueue;
  logger: Logger;
  /** Told of each run's outcome: failures with no success over its window put the inbound state in error. */
  link: LinkHealth;
  /** Keys applied at once, the claims' lease, and how often the queue is scanned. */
  worker?: WorkerOptions;
}

/**
 * The inbound worker's settings on `store`: where the store sends only a few
 * writes at once (FerretDB v1), twice that many keys at once. With the
 * default 64 under a stream of changes there, each run's writes waited
 * behind the other runs', an Update record step took past its 10 s timeout
 * on a busy machine, and its item went to error, where its key stops until
 * an admin acts.
 */
export function inboundWorkerOptions(store: Pick<DocumentStore, 'writesAtOnce'>): WorkerOptions {
  return store.writesAtOnce === undefined ? {} : { concurrency: store.writesAtOnce * 2 };
}

/**
 * The inbound queue's work: received envelopes applied strictly in sequence
 * per correlation key. Only the item right after the key's cursor may go, so
 * a missing sequence holds back those after it until it arrives (or an admin
 * skips it).
 */
class InboundWork implements KeyedWork<InboundQueueItem> {
  /** Items this process holds by the first claim of their attempt: their runs skip the look-up for an earlier one. */
  private readonly firstClaims = new WeakSet<InboundQueueItem>();
  /** Items chosen as ones the key's cursor passed already, by id, until their claim fails or they are recorded. */
  private readonly passed = new Set<string>();

  constructor(private readonly parts: InboundProcessorParts) {}

  offersAll(): boolean {
    return this.parts.queue.announcesAll();
  }

  decidingWrites(): number {
    return this.parts.config.decidingWrites();
  }

  async scan(): Promise<Scanned<InboundQueueItem>> {
    const active = [...(await this.parts.config.activeRemoteSystems('inbound'))];
    if (active.length === 0) return { items: [] };
    return { items: await this.parts.queue.ready(active, MOST_READ_PER_SCAN) };
  }

  admitted(claimed: InboundQueueItem): void {
    this.firstClaims.add(claimed);
  }

  async choose(items: readonly InboundQueueItem[]): Promise<KeyChoice<InboundQueueItem>> {
    const [first] = items;
    if (!first) return { wait: true };
    const applied = await this.parts.queue.cursors.applied(first.correlation_key);
    // One the cursor passed but still ready: a process of a version that moved a stored cursor before it
    // recorded the item stopped between the two, or retention kept how far the key went while an admin
    // reprocessed it. It goes first, and is recorded without running again (handle): left behind while the
    // key went on, it stayed ready for ever. (Its claim fails if it was recorded meanwhile.)
    const passed = items.find((item) => item.sequence <= applied);
    if (passed) {
      this.passed.add(passed._id);
      return { take: passed };
    }
    // A gap: the key waits, quietly, until the missing item is offered (or skipped and found by a scan).
    const item = items.find((candidate) => candidate.sequence === applied + 1);
    if (!item) return { wait: true };
    const active = await this.parts.config.activeRemoteSystems('inbound');
    // Held back while the remote system is not active, or has no inbound flow: nothing is lost, and the scans bring it back.
    if (!active.has(item.remote_system) || !(await this.parts.config.inboundFlowFor(item.process_event, item.remote_system))) return { wait: true };
    return { take: item };
  }

  async claim(item: InboundQueueItem, now: number, leaseUntil: number): Promise<InboundQueueItem | null> {
    const outcome = await this.parts.queue.claimTelling(item, now, leaseUntil);
    if (!outcome) this.passed.delete(item._id);
    if (outcome?.first) this.firstClaims.add(outcome.claimed);
    return outcome?.claimed ?? null;
  }

  release(claimed: InboundQueueItem): Promise<void> {
    this.passed.delete(claimed._id);
    return this.parts.queue.release(claimed);
  }

  renewClaim(claimed: InboundQueueItem, leaseUntil: number): Promise<void> {
    return this.parts.queue.renewClaim(claimed, leaseUntil);
  }

  releaseExpired(now: number): Promise<number> {
    return this.parts.queue.releaseExpired(now);
  }

  nextReady(worked: InboundQueueItem): Promise<InboundQueueItem | null> {
    return this.parts.queue.nextReady(worked);
  }

  async handle(item: InboundQueueItem): Promise<void> {
    const started = item.started_at ?? Date.now();
    // One the cursor passed (see choose) was applied before: its run is not started again, which could apply it twice were its context pruned.
    const appliedBefore = this.passed.delete(item._id);
    if (appliedBefore) this.parts.logger.info({ item: item._id, key: item.correlation_key, sequence: item.sequence }, 'inbound item applied before a restart, recorded as processed');
    const outcome = appliedBefore ? { ok: true as const, contextId: inboundContextId(item) } : await runInboundItem(item, this.parts, this.firstClaims.has(item));
    const finished = Date.now();
    // The claim's start and wait as it began: an item admitted while every slot was taken was stored claimed earlier.
    const began = { started_at: started, time_in_queue_ms: item.time_in_queue_ms };
    const times = { ...began, finished_at: finished, processing_ms: finished - started, transform_context: outcome.contextId };
    if (!outcome.ok) {
      // The key waits behind it until an admin retries or skips it.
      await this.parts.queue.settle(item, { ...times, status: 'error', error_info: outcome.error });
      this.parts.logger.warn({ item: item._id, key: item.correlation_key, sequence: item.sequence, error: outcome.error }, 'inbound item failed');
      const failed = { queue: 'inbound' as const, id: item._id, correlation_key: item.correlation_key, sequence: item.sequence, error: outcome.error };
      await this.parts.link.failed(item.remote_system, 'inbound', { error: outcome.error, item: failed });
      return;
    }
    this.parts.link.succeeded(item.remote_system, 'inbound');
    const settle = () => this.parts.queue.settle(item, { ...times, status: 'processed', error_info: null });
    // Recorded as processed, the item is what moves its key on (InboundCursors): one write. A crash before it
    // leaves the item in processing, ready again when its lease ends, and its run, started again under the
    // same flow context, finds itself finished. One the key had passed moves nothing.
    if (appliedBefore) await settle();
    else await this.parts.queue.cursors.recorded(item.correlation_key, item.sequence, settle);
  }
}

/** Applies the inbound queue: its work, run by the keyed queue worker, and told of every envelope taken here. */
export class InboundProcessor {
  private readonly worker: KeyedWorker<InboundQueueItem>;

  constructor(parts: InboundProcessorParts) {
    this.worker = new KeyedWorker(new InboundWork(parts), parts.logger, 'inbound queue', parts.worker);
    parts.queue.onReady((item) => this.worker.offer(item));
    parts.queue.admitWith((item) => this.worker.admit(item));
  }

  /** `ownsStore`: see KeyedWorker.start. */
  start(ownsStore: boolean): Promise<void> {
    return this.worker.start(ownsStore);
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }
}
