import { implement, reprocessQueueItem, skipQueueItem, StepError } from '@lockstep/flow';
import { scopeOf } from '../../domains/domain-scope.js';
import { ProblemError } from '../../http/problem.js';
import { applyInboundAction, type InboundAction } from '../inbound/inbound-admin.js';
import type { InboundQueue } from '../inbound/inbound-queue.js';
import { applyOutboundAction, type OutboundAction } from '../outbound/outbound-admin.js';
import type { OutboundQueue } from '../outbound/outbound-queue.js';

export interface QueueItemQueues {
  outbound: OutboundQueue;
  inbound: InboundQueue;
}

/** Which action "Reprocess queue item" is for an item: a failed one is retried, a done one reprocessed. */
async function reprocessActionFor(queues: QueueItemQueues, queue: 'inbound' | 'outbound', id: string): Promise<'retry' | 'reprocess'> {
  const item = queue === 'outbound' ? await queues.outbound.get(id) : await queues.inbound.get(id);
  return item?.status === 'error' ? 'retry' : 'reprocess';
}

/**
 * An admin's queue action, taken by a flow as its run-as user: an item
 * outside the run's domain is missing to it, as to the API. The API's
 * refusal (the item is not in a state the action applies to) becomes the
 * step's error, for the flow's error branch.
 */
async function act(queues: QueueItemQueues, queue: 'inbound' | 'outbound', id: string, action: OutboundAction & InboundAction, scope: ReturnType<typeof scopeOf>) {
  try {
    const item = queue === 'outbound' ? await applyOutboundAction(queues.outbound, id, action, scope) : await applyInboundAction(queues.inbound, id, action, scope);
    return { kind: 'done' as const, output: { status: item.status } };
  } catch (error) {
    if (error instanceof ProblemError) throw new StepError(error.detail, error.status === 404 ? 'not_found' : 'step');
    throw error;
  }
}

/** Skip queue item and Reprocess queue item: what an error subflow does with the item whose failures put its link in error. */
export function queueItemImplementations(queues: QueueItemQueues) {
  return [
    implement(skipQueueItem, (params, context) => act(queues, params.queue, params.item, 'skip', scopeOf(context.runAs))),
    implement(reprocessQueueItem, async (params, context) =>
      act(queues, params.queue, params.item, await reprocessActionFor(queues, params.queue, params.item), scopeOf(context.runAs)),
    ),
  ] as const;
}
