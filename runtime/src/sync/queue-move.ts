import type { QueueItem, QueueStatus } from './queue-item.js';

/**
 * What happened to a queue item, as the original's OutboundQueueDao and
 * InboundQueueDao log it: queued, claimed by a worker, processed (sent, or
 * applied), sent back to ready after a failed attempt (retried) or by an
 * admin (requeued), failed for good (error), or skipped.
 */
export type QueueStep = 'queued' | 'claimed' | 'processed' | 'retried' | 'requeued' | 'failed' | 'skipped';

/** One item's move, as the queue wrote it; `at` is when (epoch ms). */
export interface QueueMove<T extends QueueItem = QueueItem> {
  step: QueueStep;
  item: T;
  at: number;
}

/** Told of every move this process's queue writes; it runs in the write's path, so it must be quick and never throw. */
export type QueueMoveListener<T extends QueueItem = QueueItem> = (move: QueueMove<T>) => void;

/** The step of a move to `item.status` from `from` (null: a new item). */
export function stepOf(status: QueueStatus, from: QueueStatus | readonly QueueStatus[] | null): QueueStep {
  switch (status) {
    case 'ready':
      if (from === null) return 'queued';
      return [from].flat().includes('processing') ? 'retried' : 'requeued';
    case 'processing':
      return 'claimed';
    case 'processed':
      return 'processed';
    case 'error':
      return 'failed';
    case 'skipped':
      return 'skipped';
  }
}
