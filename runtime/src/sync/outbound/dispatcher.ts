import type { Logger } from 'pino';
import type { UserStore } from '../../auth/user-store.js';
import type { FlowEngine } from '../../flows/flow-engine.js';
import { KeyedWorker } from '../../queue/keyed-worker.js';
import type { KeyChoice, KeyedWork, Scanned } from '../../queue/keyed-work.js';
import { MOST_READ_PER_SCAN, workerOptions, type WorkerOptions } from '../../queue/worker-options.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { LinkHealth } from '../link/link-health.js';
import type { LinkStates } from '../link/link-states.js';
import type { OutboundQueue, OutboundQueueItem } from './outbound-queue.js';
import { OutboundSend } from './outbound-send.js';
import type { RetryPolicy } from './retry-policy.js';

export interface DispatcherOptions {
  queue: OutboundQueue;
  config: SyncConfigStore;
  flows: FlowEngine;
  /** Whom outbound flows run as: each remote system's run-as user. */
  users: UserStore;
  logger: Logger;
  retry: RetryPolicy;
  /** Told of each send's connection outcome; decides when the remote system goes to error. */
  link: LinkHealth;
  /** Where the remote systems' states change: the retries of a link's items are reset when it enters error, and they go at once when it is back. */
  states: LinkStates;
  /** Items sent at once (each of a different correlation key), their lease, and how often the queue is scanned. */
  worker?: WorkerOptions;
}

/** Ready items read per scan, at the least: enough to find the heads of many keys. */
const SCAN_WINDOW = 200;

/**
 * The outbound queue's work: an item goes when it is first in line for its
 * correlation key (strict FIFO per record and remote system), its remote
 * system is active and its retry, if any, is due; it is sent through its
 * outbound flows, and the outcome recorded.
 */
class OutboundWork implements KeyedWork<OutboundQueueItem> {
  private readonly sender: OutboundSend;

  constructor(
    private readonly options: DispatcherOptions,
    private readonly concurrency: number,
  ) {
    this.sender = new OutboundSend(options);
  }

  offersAll(): boolean {
    return this.options.queue.announcesAll();
  }

  decidingWrites(): number {
    return this.options.config.decidingWrites();
  }

  async scan(now: number): Promise<Scanned<OutboundQueueItem>> {
    const { queue, config } = this.options;
    const active = [...(await config.activeRemoteSystems('outbound'))];
    if (active.length === 0) return { items: [] };
    // A window well past the free slots: later items of a key being taken this pass are passed over.
    return dueNow(await queue.ready(Math.min(Math.max(SCAN_WINDOW, this.concurrency * 25), MOST_READ_PER_SCAN), active, await queue.heldKeys()), now);
  }

  async choose([head]: readonly OutboundQueueItem[], now: number): Promise<KeyChoice<OutboundQueueItem>> {
    if (!head) return { wait: true };
    const active = await this.options.config.activeRemoteSystems('outbound');
    // Held back until the remote system is active again, or the retry is due; the scans bring it back.
    if (!active.has(head.remote_system)) return { wait: true };
    const retryAt = head.retry.next_attempt_at ?? 0;
    if (retryAt > now) return { wait: true, until: retryAt };
    // The first of a key has nothing before it; for the others this check is what guarantees the order.
    if (head.sequence > 1 && (await this.options.queue.hasEarlierPending(head))) return { wait: true };
    return { take: head };
  }

  claim(item: OutboundQueueItem, now: number, leaseUntil: number): Promise<OutboundQueueItem | null> {
    return this.options.queue.claim(item, now, leaseUntil);
  }

  renewClaim(claimed: OutboundQueueItem, leaseUntil: number): Promise<void> {
    return this.options.queue.renewClaim(claimed, leaseUntil);
  }

  releaseExpired(now: number): Promise<number> {
    return this.options.queue.releaseExpired(now);
  }

  nextReady(worked: OutboundQueueItem): Promise<OutboundQueueItem | null> {
    return this.options.queue.nextReady(worked);
  }

  handle(item: OutboundQueueItem): Promise<void> {
    return this.sender.run(item);
  }
}

/**
 * The items that may go now: a key whose first item waits for its retry
 * waits whole, and the scan comes again when the earliest retry is due.
 */
function dueNow(ready: OutboundQueueItem[], now: number): Scanned<OutboundQueueItem> {
  const retryAt = (item: OutboundQueueItem) => item.retry.next_attempt_at ?? 0;
  const waiting = ready.filter((item) => retryAt(item) > now);
  const waitingKeys = new Set(waiting.map((item) => item.correlation_key));
  const items = ready.filter((item) => !waitingKeys.has(item.correlation_key));
  return waiting.length === 0 ? { items } : { items, dueAt: Math.min(...waiting.map(retryAt)) };
}

/** Sends the outbound queue: its work, run by the keyed queue worker, and told of every item made ready here. */
export class OutboundDispatcher {
  private readonly worker: KeyedWorker<OutboundQueueItem>;

  constructor(options: DispatcherOptions) {
    const settings = workerOptions(options.worker);
    this.worker = new KeyedWorker(new OutboundWork(options, settings.concurrency), options.logger, 'outbound queue', settings);
    options.queue.onReady((item) => this.worker.offer(item));
    options.queue.admitWith((item) => this.worker.admit(item));
    options.states.onTransition(({ remote_system: remoteSystem, direction, to }) => {
      if (direction !== 'outbound' || to === 'disabled') return;
      options.queue.retryNow(remoteSystem).catch((error: unknown) => options.logger.error({ err: error, remoteSystem }, 'the items waiting for the link could not be made due'));
    });
  }

  /** `ownsStore`: see KeyedWorker.start. */
  start(ownsStore: boolean): Promise<void> {
    return this.worker.start(ownsStore);
  }

  /** Claims nothing more, and waits for the sends under way. */
  stop(): Promise<void> {
    return this.worker.stop();
  }
}
