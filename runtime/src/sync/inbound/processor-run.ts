import { createHash } from 'node:crypto';
import type { SyncEnvelope } from '@lockstep/schema';
import { runAsOf } from '../../auth/principal.js';
import { principalOfUser, type UserStore } from '../../auth/user-store.js';
import type { FlowEngine } from '../../flows/flow-engine.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { CorrelationStore } from '../correlation/correlation-store.js';
import type { InboundQueueItem } from './inbound-queue.js';

export interface InboundRunParts {
  config: SyncConfigStore;
  correlations: CorrelationStore;
  users: UserStore;
  flows: FlowEngine;
}

/** How one item's run ended: its flow context, or why there is none or it failed. */
export type InboundRunOutcome = { ok: true; contextId: string } | { ok: false; contextId: string | null; error: string };

/**
 * The flow context id of an item's run: the same for the same item and
 * attempt, so starting again after a crash returns the finished run instead
 * of applying the change twice. Retry and reprocess bump the attempt.
 */
export function inboundContextId(item: InboundQueueItem): string {
  return createHash('sha256').update(`inbound-run:${item._id}:${item.attempt ?? 0}`).digest('hex').slice(0, 32);
}

/** The local correlation of the item's record, learning the sender's id on the way if it was not known yet. */
async function correlate(item: InboundQueueItem, correlations: CorrelationStore): Promise<string | null> {
  const found = item.local_correlation_id !== null
    ? await correlations.byLocalId(item.local_correlation_id, item.remote_system)
    : await correlations.byRemoteId(item.remote_system, item.remote_correlation_id);
  if (!found) return null;
  if (found.remote_correlation_id === null) await correlations.learnRemoteId(found._id, item.remote_correlation_id);
  return found.local_correlation_id;
}

/** Runs the inbound subflow for one claimed item, as the remote system's run-as user. */
export async function runInboundItem(item: InboundQueueItem, parts: InboundRunParts): Promise<InboundRunOutcome> {
  const link = await parts.config.inboundFlowFor(item.process_event, item.remote_system);
  if (!link) {
    return { ok: false, contextId: null, error: `no inbound flow for process event ${item.process_event} and remote system ${item.remote_system}; create one (POST /api/lockstep/v1/sync/inbound-flows), then retry this item` };
  }
  const subflow = await parts.flows.latestPublished(link.subflow);
  if (!subflow) return { ok: false, contextId: null, error: `subflow ${link.subflow} of inbound flow ${link._id} has no published version; publish it, then retry this item` };
  const remote = await parts.config.remoteSystem(item.remote_system);
  const user = remote ? await parts.users.byId(remote.run_as_user) : null;
  if (!remote || !user) return { ok: false, contextId: null, error: `the run-as user of remote system ${item.remote_system} does not exist; set one, then retry this item` };
  const runAs = runAsOf(principalOfUser(user));

  const envelope = JSON.parse(item.payload_json) as SyncEnvelope;
  const localId = await correlate(item, parts.correlations);
  const payload = {
    ...envelope.payload,
    metadata: {
      ...envelope.payload.metadata,
      // Before the first apply there is no correlation; an id that matches none makes the flow's look-up say so.
      correlation_id: localId ?? `uncorrelated:${item._id}`,
      sender_correlation_id: item.remote_correlation_id,
    },
  };
  const contextId = inboundContextId(item);
  try {
    const context = await parts.flows.runner.start(
      subflow,
      { payload, remoteSystem: item.remote_system, table: envelope.payload.table, envelope },
      // The origin marks the writes as the remote system's, so this instance's capture does not send them back.
      // Restartable: an item claimed when the process died is claimed again and runs from the start under this same id.
      { runAs, contextId, origin: item.remote_system, restartable: true },
    );
    if (context.status === 'completed') return { ok: true, contextId };
    if (context.status === 'error') return { ok: false, contextId, error: context.error?.message ?? 'the inbound flow failed' };
    return { ok: false, contextId, error: `the inbound flow is ${context.status}; inbound flows must finish without waiting` };
  } catch (error) {
    return { ok: false, contextId, error: error instanceof Error ? error.message : String(error) };
  }
}
