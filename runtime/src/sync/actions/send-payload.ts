import { createHash } from 'node:crypto';
import { capturedObjectSchema, type SyncEnvelope } from '@lockstep/schema';
import { implement, sendCapturedPayload, StepError, type QueuedChange, type StepContext } from '@lockstep/flow';
import { z } from 'zod';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import { localCorrelationId, type CorrelationStore } from '../correlation/correlation-store.js';
import type { EnvelopeSender } from '../peer/envelope-batcher.js';
import { correlationForRun, remoteSystemOf } from './correlations.js';
import { dryRunItem } from './dry-run.js';
import { remoteSystemForRun } from './run-remote-system.js';

/**
 * The envelope id as a UUID derived from the queue item: every attempt to
 * send one item carries the same id, so a receiver that took an earlier
 * attempt (whose answer was lost) acknowledges the repeat without queueing it.
 */
export function envelopeIdOf(itemId: string): string {
  const hex = createHash('sha256').update(`envelope:${itemId}`).digest('hex');
  // Version 5 and the RFC 4122 variant, so it is a well-formed UUID.
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The queue item a run sends, or null in a dry run. */
function queuedOf(context: StepContext): QueuedChange | null {
  if (context.sync?.kind === 'outbound') return context.sync.item;
  if (context.sync?.kind === 'dry_run') return null;
  throw new StepError(
    'Send captured payload sends only in an outbound flow the outbound queue started, for the queue item it runs for; test-run the subflow as a dry run (dry_run: true) to see the envelope it would send',
  );
}

export interface SendPayloadParts {
  config: SyncConfigStore;
  correlations: CorrelationStore;
  /** The peer client, through an EnvelopeBatcher: Send steps running together share requests. */
  peers: EnvelopeSender;
  instanceName: string;
}

/**
 * Sends one captured change to the remote system's inbound API, and sorts
 * its answer into the codes the dispatcher acts on; in a dry run, returns
 * the envelope it would send instead.
 */
export function sendPayloadImplementation({ config, correlations, peers, instanceName }: SendPayloadParts) {
  return implement(sendCapturedPayload, async (params, context) => {
    const queued = queuedOf(context);
    // Attachment metadata is listed by the flow (Get attachment metadata), after capture made the payload.
    const payload = capturedObjectSchema.safeParse(params.attachments === undefined ? params.payload : { ...params.payload, attachments: params.attachments });
    if (!payload.success) throw new StepError(`the payload is not a captured object: ${z.prettifyError(payload.error)}`, 'invalid_payload');
    const remoteId = remoteSystemOf(params.remoteSystem, context);
    const remote = await remoteSystemForRun(config, remoteId, context);
    if (remote.external_id === null) {
      throw new StepError(`remote system ${remote.name} has no external id (the peer's record for this instance); set it, then Validate and Activate`, 'peer_connection');
    }
    const { table, sys_id } = payload.data;
    const correlation = correlationForRun(await correlations.byLocalRecord(table, sys_id, remoteId), context);
    const item = queued ?? (await dryRunItem(config, payload.data, context));
    const envelope: SyncEnvelope = {
      // A dry run's envelope is never sent: its id only has to look like one.
      id: envelopeIdOf(queued?.id ?? `dry-run:${context.contextId}`),
      process_event: item.process_event_name,
      source: { remote_system: remoteId, target_remote_system: remote.external_id, instance: instanceName },
      operation: item.operation,
      sequence: item.sequence,
      correlation: { sender_id: localCorrelationId(table, sys_id, remoteId), receiver_id: correlation?.remote_correlation_id ?? null },
      payload: payload.data,
      sent_at: new Date().toISOString(),
    };
    if (queued === null) return { kind: 'done', output: { accepted: false, envelopeId: envelope.id, dryRun: true, envelope } };
    const answer = await peers.send(remote, envelope);
    if (answer.outcome === 'accepted') return { kind: 'done', output: { accepted: true, envelopeId: envelope.id } };
    if (answer.outcome === 'unavailable') throw new StepError(answer.message, 'peer_unavailable');
    throw new StepError(answer.message, answer.fault === 'data' ? 'peer_rejected_data' : 'peer_connection');
  });
}
