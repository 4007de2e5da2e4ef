import type { Logger } from 'pino';
import type { SyncConfigStore } from '../sync/config/sync-config-store.js';
import type { QueueItem } from '../sync/queue-item.js';
import type { QueueMove, QueueMoveListener } from '../sync/queue-move.js';
import type { QueueSide } from './runtime-metrics.js';

/** The original's names for the two queues' log lines, which admins search the log for. */
const daoNames: Record<QueueSide, string> = { outbound: 'OutboundQueueDao', inbound: 'InboundQueueDao' };

/**
 * The debug switch (the original's glide.ih.process.sync.debug): while it is
 * on for the instance, or for an item's remote system, each step of each
 * queue item is logged, with the item's id, key, sequence and times, at info
 * so that the line shows whatever the log level. Off, a step costs a look at
 * the flag and at the remote system the dispatcher has just read, held in
 * memory (SyncConfigStore.remoteSystem).
 */
export class QueueTrace {
  constructor(
    private readonly logger: Logger,
    private readonly config: Pick<SyncConfigStore, 'remoteSystem'>,
    private instanceWide: boolean,
  ) {}

  /** Whether every remote system's steps are logged. */
  get enabled(): boolean {
    return this.instanceWide;
  }

  set enabled(on: boolean) {
    if (on !== this.instanceWide) this.logger.info({ debug: on }, `sync debug switched ${on ? 'on' : 'off'} for the instance`);
    this.instanceWide = on;
  }

  /** A move listener of one queue's items. */
  queueListener(side: QueueSide): QueueMoveListener {
    const logger = this.logger.child({ component: daoNames[side] });
    return (move) => {
      if (this.instanceWide) {
        write(logger, side, move);
        return;
      }
      this.config
        .remoteSystem(move.item.remote_system)
        .then((remote) => {
          if (remote?.debug === true) write(logger, side, move);
        })
        .catch(() => undefined);
    };
  }
}

/** The step in the queue's words: a processed outbound item was sent, an inbound one applied. */
function stepName(side: QueueSide, step: QueueMove['step']): string {
  if (step !== 'processed') return step;
  return side === 'outbound' ? 'sent' : 'applied';
}

function write(logger: Logger, side: QueueSide, { step, item, at }: QueueMove<QueueItem>): void {
  const attempts = (item as { retry?: { attempts: number } }).retry?.attempts ?? (item as { attempt?: number }).attempt;
  logger.info(
    {
      item: item._id,
      key: item.correlation_key,
      sequence: item.sequence,
      remoteSystem: item.remote_system,
      step: stepName(side, step),
      status: item.status,
      queuedAt: item.created_at,
      at,
      timeInQueueMs: item.started_at === null ? at - item.created_at : item.started_at - item.created_at,
      ...(item.processing_ms !== null && { processingMs: item.processing_ms }),
      ...(attempts !== undefined && { attempts }),
      ...(item.error_info !== null && { error: item.error_info }),
    },
    `${daoNames[side]}: ${stepName(side, step)} ${item._id}`,
  );
}
