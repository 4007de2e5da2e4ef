import type { Logger } from 'pino';
import type { FlowEngine } from '../../flows/flow-engine.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { OutboundQueue, OutboundQueueItem } from './outbound-queue.js';
import { OutboundSend } from './outbound-send.js';
import type { RetryPolicy } from './retry-policy.js';

export interface DispatcherOptions {
  queue: OutboundQueue;
  config: SyncConfigStore;
  flows: FlowEngine;
  logger: Logger;
  /** Items sent at once, each of a different correlation key. */
  concurrency: number;
  retry: RetryPolicy;
  /** @default 50 */
  intervalMs?: number;
  /** How long a claim holds before another pass may take the item back. @default 60_000 */
  leaseMs?: number;
}

/**
 * Sends the outbound queue: claims ready items that are first in line for
 * their correlation key (strict FIFO per record and remote system), runs
 * their outbound flows, and records the outcome. Keys go in parallel up to
 * `concurrency`; a remote system that is not active holds its items back.
 */
export class OutboundDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  private passing = false;
  private stopped = false;
  private readonly sender: OutboundSend;

  constructor(private readonly options: DispatcherOptions) {
    this.sender = new OutboundSend(options);
  }

  start(): void {
    this.timer = setInterval(() => this.nudge(), this.options.intervalMs ?? 50);
    this.timer.unref();
    this.nudge();
  }

  /** A pass now (after a capture, say); ignored while one runs, as the interval follows soon. */
  nudge(): void {
    if (this.stopped || this.passing) return;
    this.passing = true;
    this.pass()
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'the outbound dispatcher pass failed; trying again on the next tick'))
      .finally(() => {
        this.passing = false;
      });
  }

  /** Claims nothing more, and waits for the sends under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async pass(): Promise<void> {
    const { queue, config, concurrency } = this.options;
    const now = Date.now();
    await queue.releaseExpired(now);
    if (this.inFlight.size >= concurrency) return;
    const active = (await config.remoteSystems.find({ outbound_state: 'active' })).map((remote) => remote._id);
    if (active.length === 0) return;
    // A window well past the free slots: later items of a key being taken this pass are passed over.
    const candidates = await queue.due(now, Math.max(200, concurrency * 25), active, await queue.blockedKeys(now));
    for (const candidate of candidates) {
      if (this.stopped || this.inFlight.size >= concurrency) return;
      if (this.inFlight.has(candidate.correlation_key)) continue;
      // The query already leaves out blocked keys; this check is what guarantees the order.
      if (await queue.hasEarlierPending(candidate)) continue;
      const claimed = await this.claim(candidate);
      if (claimed) this.send(claimed);
    }
  }

  private send(item: OutboundQueueItem): void {
    const key = item.correlation_key;
    const work = this.sender
      .run(item)
      .catch((error: unknown) => this.options.logger.error({ err: error, item: item._id }, 'sending an outbound item failed unexpectedly; its lease returns it to ready'))
      .finally(() => {
        this.inFlight.delete(key);
        // The next item of the key may go at once rather than on the next tick.
        this.nudge();
      });
    this.inFlight.set(key, work);
  }

  private claim(item: OutboundQueueItem): Promise<OutboundQueueItem | null> {
    const now = Date.now();
    return this.options.queue.transition(item._id, 'ready', { status: 'processing', started_at: now, lease_until: now + (this.options.leaseMs ?? 60_000) });
  }
}
