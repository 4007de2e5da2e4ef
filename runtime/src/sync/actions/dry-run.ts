import type { CapturedObject } from '@lockstep/schema';
import { StepError, type StepContext } from '@lockstep/flow';
import { z } from 'zod';
import { scopeOf } from '../../domains/domain-scope.js';
import { badRequest } from '../../http/problem.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';

/**
 * What a dry run puts where a queue run has its queue item (`inputs.sync`):
 * Send reads it and records the envelope instead of sending it. It names no
 * queue item, so nothing kept per item (attachment offers) is recorded.
 */
export const dryRunMark = z.strictObject({ dry_run: z.literal(true) });

/** A test run's inputs for a dry run. A `sync` input of the caller's own would stand in for a queue item's, so it is refused. */
export function dryRunInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  if (inputs.sync !== undefined) {
    throw badRequest('reserved-input', 'inputs.sync is what the outbound queue gives a run (its queue item), and a dry run sets it itself; leave it out', [
      { path: 'inputs.sync', message: 'is set by the outbound queue or the dry run' },
    ]);
  }
  return { ...inputs, sync: { dry_run: true } };
}

/** What an envelope takes from the queue item it sends. */
export interface EnvelopeItem {
  /** The queue item's id, from which the envelope id derives. */
  item: string;
  process_event_name: string;
  operation: CapturedObject['operation'];
  sequence: number;
}

/**
 * A dry run's stand-in for the queue item: the process event is the one of
 * the payload's capture definition, as a queued change's is; the sequence is
 * the first, since only the queue numbers a record's changes.
 */
export async function dryRunItem(config: SyncConfigStore, payload: CapturedObject, context: StepContext): Promise<EnvelopeItem> {
  const definitionId = payload.metadata.capture_definition;
  const definition = await config.captureDefinitions.get(definitionId);
  const event = definition && scopeOf(context.runAs).reaches(definition.sys_domain) ? await config.processEvent(definition.process_event) : null;
  if (!event) {
    throw new StepError(`a dry run names the process event of the payload's capture definition (metadata.capture_definition), and there is no capture definition ${definitionId}; give the sys_id of the one that captures ${payload.table}`);
  }
  return { item: `dry-run:${context.contextId}`, process_event_name: event.name, operation: payload.operation, sequence: 1 };
}
