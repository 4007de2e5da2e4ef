import type { Logger } from 'pino';
import type { UserStore } from '../../auth/user-store.js';
import type { FlowEngine } from '../../flows/flow-engine.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import { OfferedItems } from '../offered-items.js';
import { PassLoop } from '../pass-loop.js';
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
  /** Items sent at once, each of a different correlation key. */
  concurrency: number;
  retry: RetryPolicy;
  /** How often a pass looks at what waits (retries coming due, remote systems activated). @default 50 */
  intervalMs?: number;
  /** How long a claim holds before another pass may take the item back. @default 60_000 */
  leaseMs?: number;
}

/** How often the queue itself is read for ready items no one announced (another process's, a retry come due). */
const SCAN_INTERVAL_MS = 1_000;
/** Ready items held in memory at most; a backlog beyond it waits in the store for the scans. */
const OFFERED_LIMIT = 20_000;

/**
 * Sends the outbound queue: claims ready items that are first in line for
 * their correlation key (strict FIFO per record and remote system), runs
 * their outbound flows, and records the outcome. Keys go in parallel up to
 * `concurrency`; a remote system that is not active holds its items back.
 *
 * The queue announces the items this process makes ready, so a pass looks
 * only at the keys that moved; a scan of the queue every second finds the
 * rest. The claim is what decides: a compare-and-set from ready,
 * after checking that no earlier item of the key is still to be sent.
 */
export class OutboundDispatcher {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly offered = new OfferedItems<OutboundQueueItem>(OFFERED_LIMIT);
  private readonly loop: PassLoop;
  private readonly sender: OutboundSend;
  private nextScan = 0;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {
    this.sender = new OutboundSend(options);
    this.loop = new PassLoop(() => this.pass(), options.logger, 'the outbound dispatcher pass failed', options.intervalMs ?? 50);
    options.queue.onReady((item) => {
      if (this.offered.offer(item)) this.loop.nudge();
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Claims nothing more, and waits for the sends under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async pass(): Promise<boolean> {
    const { config, concurrency } = this.options;
    const now = Date.now();
    if (now >= this.nextScan) await this.scan(now);
    if (this.inFlight.size >= concurrency) return false;
    const active = await config.activeRemoteSystems('outbound');
    for (const key of this.offered.takeStirred()) {
      if (this.stopped) return false;
      if (this.inFlight.has(key)) continue;
      if (this.inFlight.size >= concurrency) {
        // Its turn comes when a send finishes and stirs it again.
        this.offered.stir(key);
        continue;
      }
      const [head] = this.offered.itemsOf(key);
      // Held back until the remote system is active again, or the retry is due; the scans bring it back.
      if (!head || !active.has(head.remote_system) || (head.retry.next_attempt_at ?? 0) > now) continue;
      this.offered.drop(head);
      this.inFlight.set(key, this.dispatch(head));
    }
    return false;
  }

  /** Reads ready items from the queue itself: those of other processes, of a restart, of retries that came due. */
  private async scan(now: number): Promise<void> {
    const { queue, config, concurrency } = this.options;
    this.nextScan = now + SCAN_INTERVAL_MS;
    await queue.releaseExpired(now);
    const active = [...(await config.activeRemoteSystems('outbound'))];
    if (active.length === 0) return;
    // A window well past the free slots: later items of a key being taken this pass are passed over.
    for (const item of await queue.due(now, Math.max(200, concurrency * 25), active, await queue.blockedKeys(now))) this.offered.offer(item);
  }

  /** Takes the item if it is first in line and still ready, and sends it; then its key may go on. */
  private async dispatch(candidate: OutboundQueueItem): Promise<void> {
    const key = candidate.correlation_key;
    let moveOn = true;
    try {
      // The first of a key has nothing before it; for the others this check is what guarantees the order.
      if (candidate.sequence > 1 && (await this.options.queue.hasEarlierPending(candidate))) {
        // It waits, quietly, for the earlier item, whose end (or the next scan) stirs the key again.
        this.offered.hold(candidate);
        moveOn = false;
        return;
      }
      const claimed = await this.claim(candidate);
      if (claimed) await this.sender.run(claimed);
    } catch (error) {
      this.options.logger.error({ err: error, item: candidate._id }, 'sending an outbound item failed unexpectedly; its lease returns it to ready');
    } finally {
      this.inFlight.delete(key);
      if (moveOn) this.offered.stir(key);
      this.loop.nudge();
    }
  }

  private claim(item: OutboundQueueItem): Promise<OutboundQueueItem | null> {
    const now = Date.now();
    return this.options.queue.transition(item._id, 'ready', { status: 'processing', started_at: now, lease_until: now + (this.options.leaseMs ?? 60_000) });
  }
}
