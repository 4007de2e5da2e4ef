import type { DomainScope } from '../../domains/domain-scope.js';
import { ProblemError, notFound } from '../../http/problem.js';
import { newId } from '@lockstep/store';
import { type QueueStatus } from '../queue-item.js';
import type { OutboundQueue, OutboundQueueItem } from './outbound-queue.js';

export const outboundActions = ['retry', 'skip', 'reprocess'] as const;
export type OutboundAction = (typeof outboundActions)[number];

/** Which states each admin action moves an item from. */
const allowedFrom: Record<OutboundAction, QueueStatus[]> = {
  retry: ['error'],
  skip: ['ready', 'error'],
  reprocess: ['processed', 'skipped'],
};

const freshRetry = { attempts: 0, next_attempt_at: null, last_error: null };

function conflict(item: OutboundQueueItem, action: OutboundAction): ProblemError {
  return new ProblemError(409, 'invalid-queue-transition', 'Conflict', `outbound queue item ${item._id} is ${item.status}; ${action} applies only to items that are ${allowedFrom[action].join(' or ')}`);
}

function notLast(item: OutboundQueueItem, last: number): ProblemError {
  return new ProblemError(409, 'not-last-of-key', 'Conflict', `outbound queue item ${item._id} is sequence ${item.sequence} of ${item.correlation_key}, but sequence ${last} came after it; only the last change of a record may be sent again, or it would overwrite newer ones on the peer`);
}

/**
 * A processed change sent again as a new delivery: a new item, numbered
 * next in its key as the relay numbers a new change, so it has its own
 * envelope id and sequence, and the peer, which answers a repeat of either
 * as a duplicate, applies it. The processed item stays as it was.
 */
async function redeliver(queue: OutboundQueue, item: OutboundQueueItem): Promise<OutboundQueueItem> {
  const id = `${item._id}:again:${newId()}`;
  const sequence = await queue.sequences.assign(item.correlation_key, { id, modCount: item.record.mod_count, creates: false }, () => queue.exists(id));
  if (sequence === null) throw new Error(`redelivery ${id} was numbered before it was made`);
  const { process_event, remote_system, capture_definition, correlation_key, operation, record, payload_json, origin_intent, captured_at, sys_domain } = item;
  const fields = { process_event, remote_system, capture_definition, correlation_key, operation, record, payload_json, origin_intent, captured_at, sys_domain };
  return (await queue.insert({ ...fields, _id: id, sequence })).item;
}

/**
 * An admin's retry (error → ready), skip (ready or error → skipped) or
 * reprocess: a skipped item goes again as it was (the peer never applied
 * it), a processed one as a new delivery. Reprocess sends an old change
 * again, so only the last item of its key may: resending an earlier one
 * would overwrite newer changes on the peer.
 */
export async function applyOutboundAction(queue: OutboundQueue, id: string, action: OutboundAction, scope: DomainScope): Promise<OutboundQueueItem> {
  const item = await queue.visible(id, scope);
  if (!item) throw notFound('unknown-queue-item', `there is no outbound queue item ${id}`);
  if (!allowedFrom[action].includes(item.status)) throw conflict(item, action);
  if (action === 'reprocess') {
    const last = await queue.lastOfKey(item.correlation_key);
    if (last && last._id !== item._id) throw notLast(item, last.sequence);
    if (item.status === 'processed') return redeliver(queue, item);
  }
  const fields =
    action === 'skip'
      ? { status: 'skipped', finished_at: Date.now(), lease_until: null }
      : { status: 'ready', retry: freshRetry, error_info: null, started_at: null, finished_at: null, processing_ms: null, time_in_queue_ms: null, lease_until: null };
  const moved = await queue.transition(item._id, allowedFrom[action], fields);
  if (!moved) {
    // Another request or the dispatcher moved it between the read and the write.
    const now = await queue.get(id);
    throw now ? conflict(now, action) : notFound('unknown-queue-item', `there is no outbound queue item ${id}`);
  }
  return moved;
}
