import { createHash } from 'node:crypto';
import type { RunAs } from '@lockstep/flow';
import type { SyncEnvelope } from '@lockstep/schema';
import type { UserStore } from '../../auth/user-store.js';
import { scopeOf } from '../../domains/domain-scope.js';
import type { FlowEngine } from '../../flows/flow-engine.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { CorrelationStore } from '../correlation/correlation-store.js';
import { remoteSystemRunAs } from '../remote-run-as.js';
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

type Correlated = { ok: true; localId: string | null } | { ok: false; error: string };

/**
 * The local correlation of the item's record, learning the sender's id on
 * the way if it was not known yet. One outside the run's domain is neither
 * used nor changed: the run could not touch its record, and passing it off
 * as missing would have the flow create the record a second time.
 */
async function correlate(item: InboundQueueItem, correlations: CorrelationStore, runAs: RunAs): Promise<Correlated> {
  const found = item.local_correlation_id !== null
    ? await correlations.byLocalId(item.local_correlation_id, item.remote_system)
    : await correlations.byRemoteId(item.remote_system, item.remote_correlation_id);
  if (!found) return { ok: true, localId: null };
  if (!scopeOf(runAs).sees(found.sys_domain)) {
    return {
      ok: false,
      error: `the record of this item is correlated (correlation ${found._id}) in domain ${found.sys_domain}, outside ${runAs.domain}, the domain of ${runAs.userName}, whom inbound flows of remote system ${item.remote_system} run as; choose a run_as_user of domain ${found.sys_domain} or above it, then retry this item`,
    };
  }
  if (found.remote_correlation_id === null) await correlations.learnRemoteId(found._id, item.remote_correlation_id);
  return { ok: true, localId: found.local_correlation_id };
}

/**
 * Runs the inbound subflow for one claimed item, as the remote system's
 * run-as user, in that user's domain. `firstClaim`: no claim of the item's
 * attempt came before this one, so no run of it can be stored.
 */
export async function runInboundItem(item: InboundQueueItem, parts: InboundRunParts, firstClaim: boolean): Promise<InboundRunOutcome> {
  const link = await parts.config.inboundFlowFor(item.process_event, item.remote_system);
  if (!link) {
    return { ok: false, contextId: null, error: `no inbound flow for process event ${item.process_event} and remote system ${item.remote_system}; create one (POST /api/lockstep/v1/sync/inbound-flows), then retry this item` };
  }
  const subflow = await parts.flows.latestPublished(link.subflow);
  if (!subflow) return { ok: false, contextId: null, error: `subflow ${link.subflow} of inbound flow ${link._id} has no published version; publish it, then retry this item` };
  const remote = await parts.config.remoteSystem(item.remote_system);
  if (!remote) return { ok: false, contextId: null, error: `the remote system ${item.remote_system} no longer exists` };
  const actor = await remoteSystemRunAs(parts.users, remote);
  if (!actor.ok) return { ok: false, contextId: null, error: `${actor.reason}, then retry this item` };
  const { runAs } = actor;

  const envelope = JSON.parse(item.payload_json) as SyncEnvelope;
  const correlated = await correlate(item, parts.correlations, runAs);
  if (!correlated.ok) return { ok: false, contextId: null, error: correlated.error };
  const { localId } = correlated;
  const payload = {
    ...envelope.payload,
    // Reprocessed after it was applied: its comments and work notes are on the record already, and are not added twice.
    ...(item.journal_applied === true && { journal: {} }),
    metadata: {
      ...envelope.payload.metadata,
      // Null before the first apply, when there is no correlation yet: the flow's look-up then finds none.
      correlation_id: localId,
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
      { runAs, contextId, origin: item.remote_system, sync: { kind: 'inbound', remote_system: item.remote_system, item: item._id }, restartable: true, newContextId: firstClaim },
    );
    if (context.status === 'completed') return { ok: true, contextId };
    if (context.status === 'error') return { ok: false, contextId, error: context.error?.message ?? 'the inbound flow failed' };
    return { ok: false, contextId, error: `the inbound flow is ${context.status}; inbound flows must finish without waiting` };
  } catch (error) {
    return { ok: false, contextId, error: error instanceof Error ? error.message : String(error) };
  }
}
