import { evaluateCondition } from '@lockstep/flow';
import type { Principal } from '../auth/principal.js';
import type { ResolvedTable } from '../dictionary/dictionary.js';
import { ProblemError } from '../http/problem.js';
import type { SyncConfigStore } from '../sync/config/sync-config-store.js';
import type { StoredRecord } from '../table/record-store.js';
import type { ActivationStore, StoredActivation } from './activation-store.js';
import type { ProviderClient } from './provider-client.js';
import { CLOSED_INCOMPLETE, linkKey, type RemoteTaskRecords } from './remote-task-records.js';

export interface RaisingParts {
  syncConfig: SyncConfigStore;
  activations: ActivationStore;
  tasks: RemoteTaskRecords;
  provider: ProviderClient;
}

/** A record as a trigger's condition reads it: its fields, journals left out. */
function conditionData(table: ResolvedTable, record: StoredRecord): Record<string, unknown> {
  return Object.fromEntries([...table.fields.values()].filter((field) => field.type !== 'journal').map((field) => [field.name, record[field.name]]));
}

/**
 * Raising remote tasks on the consumer, by hand or by a trigger. The
 * provider is asked first, so a definition it no longer takes tasks for
 * (Inactive, say) is refused with its reason before anything is made here.
 */
export class RemoteTaskRaising {
  constructor(private readonly parts: RaisingParts) {}

  /**
   * The first active trigger of the activation that holds for the record as
   * `captured` shows it (the fields at the change, which the capture filter
   * saw), if any.
   */
  async matchingTrigger(activation: StoredActivation, table: ResolvedTable, record: StoredRecord, captured: Record<string, unknown> = {}): Promise<string | null> {
    const data = { ...conditionData(table, record), ...captured };
    const triggers = await this.parts.activations.activeTriggers(activation._id);
    return triggers.find((trigger) => evaluateCondition(trigger.condition, data))?.name ?? null;
  }

  /**
   * Makes the record's remote task on the activation's current revision, once
   * the provider admits it, and marks the record (as `origin`'s write: by
   * hand, null, so the mark is the change that carries the task out; from an
   * outbound flow, its remote system, which is sending the task already).
   * Throws the provider's refusal (a ProblemError).
   */
  async raise(activation: StoredActivation, table: ResolvedTable, record: StoredRecord, actor: Principal, origin: string | null): Promise<StoredRecord> {
    const remote = await this.parts.syncConfig.remoteSystem(activation.remote_system);
    if (!remote) throw new ProblemError(409, 'unknown-remote-system', 'Conflict', `the remote system ${activation.remote_system} of activation "${activation.name}" no longer exists`);
    await this.parts.provider.admit(remote, activation.definition, activation.revision);
    const task = await this.parts.tasks.create(
      { parent: record.sys_id, parentTable: table.name, definition: activation.definition, revision: activation.revision, remoteSystem: remote._id },
      { short_description: `${activation.name}: ${String(record.short_description ?? record.number ?? record.sys_id)}`.slice(0, 160), remote_instance: remote.name },
      actor,
    );
    await this.parts.tasks.mark(table, record.sys_id, linkKey(activation.definition, remote._id), true, actor, origin);
    return task;
  }

  /**
   * A trigger's raise: a refusal leaves a closed remote task saying why, so
   * the record's later changes do not ask again, and the flow goes on. A
   * provider that did not answer is thrown, as a ProblemError of 5xx.
   */
  async raiseByTrigger(activation: StoredActivation, table: ResolvedTable, record: StoredRecord, actor: Principal, trigger: string): Promise<{ task: StoredRecord | null; reason: string }> {
    try {
      return { task: await this.raise(activation, table, record, actor, activation.remote_system), reason: `raised by trigger "${trigger}"` };
    } catch (error) {
      // A provider that did not answer refused nothing: the caller tries again later.
      if (!(error instanceof ProblemError) || error.status >= 500) throw error;
      const remote = await this.parts.syncConfig.remoteSystem(activation.remote_system);
      const refused = await this.parts.tasks.create(
        { parent: record.sys_id, parentTable: table.name, definition: activation.definition, revision: activation.revision, remoteSystem: activation.remote_system },
        { short_description: `${activation.name}: refused`, remote_instance: remote?.name ?? '', state: CLOSED_INCOMPLETE, active: false, work_notes: `Trigger "${trigger}" was refused: ${error.detail}` },
        actor,
      );
      return { task: null, reason: `trigger "${trigger}" was refused (remote task ${String(refused.number)}): ${error.detail}` };
    }
  }
}
