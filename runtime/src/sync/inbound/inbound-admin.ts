import type { DomainScope } from '../../domains/domain-scope.js';
import { ProblemError, notFound } from '../../http/problem.js';
import type { QueueStatus } from '../queue-item.js';
import type { InboundQueue, InboundQueueItem } from './inbound-queue.js';

export type InboundAction = 'retry' | 'skip' | 'reprocess';

/** The states each admin action starts from. */
const allowedFrom: Record<InboundAction, QueueStatus[]> = {
  retry: ['error'],
  skip: ['ready', 'error'],
  reprocess: ['processed', 'skipped'],
};

function conflict(item: InboundQueueItem, action: InboundAction, detail?: string): ProblemError {
  return new ProblemError(409, 'invalid-queue-transition', 'Conflict', detail ?? `inbound queue item ${item._id} is ${item.status}; ${action} needs it to be ${allowedFrom[action].join(' or ')}`);
}

/**
 * Retry (error → ready), skip (ready|error → skipped, which moves the key's
 * cursor past it, so the items after it go on) and reprocess
 * (processed|skipped → ready, the cursor moved back before it, under a new
 * flow context; the fields are applied again, the journal entries of one
 * applied already not). A reprocess that races the apply of the key's next
 * item is not refused: the item, ready behind its key's cursor, is then
 * recorded as processed without running again.
 */
export async function applyInboundAction(queue: InboundQueue, id: string, action: InboundAction, scope: DomainScope): Promise<InboundQueueItem> {
  const item = await queue.visible(id, scope);
  if (!item) throw notFound('unknown-queue-item', `there is no inbound queue item ${id}`);
  if (!allowedFrom[action].includes(item.status)) throw conflict(item, action);
  const applied = await queue.cursors.applied(item.correlation_key);
  if (action === 'skip' && item.sequence !== applied + 1) {
    throw conflict(item, action, `inbound queue item ${item._id} is ${item.sequence} of its key, whose next is ${applied + 1}; skip that one first`);
  }
  if (action === 'reprocess' && item.sequence !== applied) {
    throw conflict(item, action, `inbound queue item ${item._id} is not the last applied of its key (sequence ${item.sequence}, last applied ${applied}); only that one can be reprocessed`);
  }
  const set: Partial<InboundQueueItem> =
    action === 'skip'
      ? { status: 'skipped', finished_at: Date.now() }
      : { status: 'ready', error_info: null, started_at: null, finished_at: null, ...(item.status === 'processed' && { journal_applied: true }) };
  const transition = () => queue.transition(item._id, allowedFrom[action], set, action !== 'skip');
  // Skipped, the item moves its key on; reprocessed, the key goes back before it (InboundCursors).
  const moved =
    action === 'skip'
      ? await queue.cursors.recorded(item.correlation_key, item.sequence, transition)
      : action === 'reprocess'
        ? await queue.cursors.movedBack(item.correlation_key, item.sequence - 1, transition)
        : await transition();
  if (!moved) throw conflict((await queue.get(id)) ?? item, action);
  return moved;
}
