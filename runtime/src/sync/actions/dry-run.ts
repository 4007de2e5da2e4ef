import type { CapturedObject } from '@lockstep/schema';
import { StepError, type QueuedChange, type StepContext } from '@lockstep/flow';
import { scopeOf } from '../../domains/domain-scope.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';

/** What an envelope takes from the queue item it sends, or from a dry run in its stead. */
export type EnvelopeItem = Omit<QueuedChange, 'id'>;

/**
 * A dry run's stand-in for the queue item, which it has none of: the process
 * event is the one of the payload's capture definition, as a queued change's
 * is; the sequence is the first, since only the queue numbers a record's changes.
 */
export async function dryRunItem(config: SyncConfigStore, payload: CapturedObject, context: StepContext): Promise<EnvelopeItem> {
  const definitionId = payload.metadata.capture_definition;
  const definition = await config.captureDefinitions.get(definitionId);
  const event = definition && scopeOf(context.runAs).reaches(definition.sys_domain) ? await config.processEvent(definition.process_event) : null;
  if (!event) {
    throw new StepError(`a dry run names the process event of the payload's capture definition (metadata.capture_definition), and there is no capture definition ${definitionId}; give the sys_id of the one that captures ${payload.table}`);
  }
  return { process_event_name: event.name, operation: payload.operation, sequence: 1 };
}
