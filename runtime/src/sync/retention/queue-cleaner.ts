import type { Logger } from 'pino';
import { DAY_MS, RetentionSweep } from '../../flows/context-retention.js';
import type { StoredFlowContexts } from '../../flows/context-store.js';
import type { QueueItem, QueueStatus } from '../queue-item.js';
import type { ObservedQueue } from '../queue-items.js';

/** How long queue items are kept, in days, by when they were queued. The original's defaults. */
export interface QueueRetention {
  /** Processed and Skipped items: done with. @default 7 */
  doneDays: number;
  /** Error and Ready items: what an admin may still act on, and items that never went. @default 30 */
  openDays: number;
}

export const defaultQueueRetention: QueueRetention = { doneDays: 7, openDays: 30 };

/** Items removed per store operation: small, so the queues' own reads and writes come in between. */
const DEFAULT_BATCH = 100;

/** The flow context an item's last run left: the outbound subflow's or the inbound one's. */
function contextOf(item: QueueItem): string | null {
  const { flow_context, transform_context } = item as { flow_context?: string | null; transform_context?: string | null };
  return flow_context ?? transform_context ?? null;
}

/**
 * Removes old queue items, and the flow contexts of their last runs, as
 * the original's table cleaner does: Processed and Skipped ones after
 * `doneDays`, Error and Ready ones after `openDays`; never one being
 * processed. One batch per state and queue a pass, each read from the
 * queue's index on state and creation time; a pass that filled a batch
 * is followed by another at once, and the queues' work goes on between
 * them.
 */
export class QueueCleaner extends RetentionSweep {
  constructor(
    private readonly queues: readonly ObservedQueue[],
    private readonly contexts: Pick<StoredFlowContexts, 'deleteEnded'>,
    private readonly retention: QueueRetention,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly batch: number = DEFAULT_BATCH,
  ) {
    super(logger, 'removing old queue items failed', now);
  }

  /** One pass; true when a batch was full, so more may be due. */
  async sweep(): Promise<boolean> {
    const now = this.now();
    const rules: [QueueStatus, number][] = [
      ['processed', now - this.retention.doneDays * DAY_MS],
      ['skipped', now - this.retention.doneDays * DAY_MS],
      ['error', now - this.retention.openDays * DAY_MS],
      ['ready', now - this.retention.openDays * DAY_MS],
    ];
    let removed = 0;
    let full = false;
    for (const queue of this.queues) {
      for (const [status, before] of rules) {
        const items = await queue.queuedBefore(status, before, this.batch);
        if (items.length === 0) continue;
        full ||= items.length === this.batch;
        const contexts = items.map(contextOf).filter((id): id is string => id !== null);
        // Items first: a context without its item is only what the context sweeper removes anyway.
        removed += await queue.remove(items, status);
        if (contexts.length > 0) await this.contexts.deleteEnded(contexts);
      }
      const errors = await queue.errors.deleteBefore(now - this.retention.openDays * DAY_MS, this.batch);
      full ||= errors === this.batch;
    }
    if (removed > 0) this.logger.info({ removed }, 'queue items past their retention removed, with their flow contexts');
    return full;
  }
}
