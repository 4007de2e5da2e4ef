import type { ActivatedField, ConditionGroup, RemoteTaskFieldRule } from '@lockstep/schema';
import type { Principal } from '../auth/principal.js';
import type { ResolvedTable } from '../dictionary/dictionary.js';
import type { SubflowStore } from '../flows/subflow-store.js';
import { ProblemError } from '../http/problem.js';
import type { StoredRemoteSystem, SyncConfigStore } from '../sync/config/sync-config-store.js';
import type { ActivationStore, StoredActivation } from './activation-store.js';
import { captureFilter, conditionFields } from './capture-filter.js';
import { adjustFields } from './field-rules.js';
import { ensureSyncConfig } from './generated-config.js';
import type { ProviderClient } from './provider-client.js';

export interface ActivationParts {
  syncConfig: SyncConfigStore;
  subflows: SubflowStore;
  activations: ActivationStore;
  provider: ProviderClient;
}

function invalidRules(findings: { path: string; message: string }[]): ProblemError {
  return new ProblemError(422, 'invalid-field-rules', 'Unprocessable content', 'the field rules go beyond what the provider offers, or name fields that do not exist (see errors); nothing was activated', findings);
}

/** What an activated revision's rules were, as adjustments to carry to the next revision: where each field lives and how its values map. */
function carriedOver(fields: readonly ActivatedField[]): RemoteTaskFieldRule[] {
  return fields.map((field) => ({ name: field.name, local_field: field.local_field, ...(field.value_map ? { value_map: field.value_map } : {}) }));
}

/**
 * Activation on the consumer: pull the entitled revision from the provider
 * (which makes its half of the configuration), map it onto a local table
 * with rules no wider than offered, and make this side's process sync
 * configuration. Upgrading pulls the latest revision the same way; tasks
 * raised before keep the revision they were raised on.
 */
export class Activations {
  constructor(private readonly parts: ActivationParts) {}

  /** This side's configuration for the activation's rules, made or brought up to date; its capture filter takes the triggers in. */
  private async configure(remote: StoredRemoteSystem, table: string, offered: { definition: string; process_event: string }, fields: readonly ActivatedField[], triggers: readonly ConditionGroup[]) {
    const includeFields = [...fields.flatMap((field) => (field.local_field ? [field.local_field] : [])), ...triggers.flatMap(conditionFields)];
    return ensureSyncConfig(this.parts.syncConfig, this.parts.subflows, {
      remote,
      processEvent: offered.process_event,
      definition: offered.definition,
      table,
      includeFields: [...new Set(includeFields)],
      filter: captureFilter(offered.definition, remote._id, triggers),
    });
  }

  /** After a trigger changed: the capture definition's filter and fields follow the activation's active triggers. */
  async triggersChanged(activation: StoredActivation): Promise<void> {
    const remote = await this.parts.syncConfig.remoteSystem(activation.remote_system);
    if (!remote) return;
    const triggers = (await this.parts.activations.activeTriggers(activation._id)).map((trigger) => trigger.condition);
    await this.configure(remote, activation.table, activation, activation.revisions.flatMap((one) => one.fields), triggers);
  }

  async activate(remote: StoredRemoteSystem, table: ResolvedTable, definition: string, adjustments: RemoteTaskFieldRule[], actor: Principal): Promise<StoredActivation> {
    if (await this.parts.activations.of(remote._id, definition)) {
      throw new ProblemError(409, 'already-activated', 'Conflict', `definition ${definition} is activated already with remote system ${remote.name}; upgrade that activation instead`);
    }
    const offered = await this.parts.provider.revision(remote, definition);
    const { fields, findings } = adjustFields(offered.fields, adjustments, new Set(table.fields.keys()));
    if (findings.length > 0) throw invalidRules(findings);
    const generated = await this.configure(remote, table.name, offered, fields, []);
    return this.parts.activations.insert(
      {
        remote_system: remote._id,
        definition,
        name: offered.name,
        table: table.name,
        process_event: offered.process_event,
        revision: offered.revision,
        revisions: [{ revision: offered.revision, name: offered.name, fields }],
        generated,
      },
      actor.userName,
      remote.sys_domain,
    );
  }

  async upgrade(activation: StoredActivation, remote: StoredRemoteSystem, table: ResolvedTable, adjustments: RemoteTaskFieldRule[] | undefined, actor: Principal): Promise<StoredActivation> {
    const offered = await this.parts.provider.revision(remote, activation.definition);
    if (offered.revision <= activation.revision) {
      throw new ProblemError(409, 'no-newer-revision', 'Conflict', `activation "${activation.name}" runs revision ${activation.revision}, the latest the provider has published`);
    }
    const current = activation.revisions.find((one) => one.revision === activation.revision)?.fields ?? [];
    const { fields, findings } = adjustFields(offered.fields, adjustments ?? carriedOver(current).filter((rule) => offered.fields.some((field) => field.name === rule.name)), new Set(table.fields.keys()));
    if (findings.length > 0) throw invalidRules(findings);
    const triggers = (await this.parts.activations.activeTriggers(activation._id)).map((trigger) => trigger.condition);
    const generated = await this.configure(remote, table.name, offered, [...fields, ...activation.revisions.flatMap((one) => one.fields)], triggers);
    const revisions = [...activation.revisions, { revision: offered.revision, name: offered.name, fields }];
    const updated = await this.parts.activations.update(activation._id, { revision: offered.revision, name: offered.name, revisions, generated }, actor.userName);
    if (!updated) throw new ProblemError(404, 'unknown-activation', 'Not found', `activation ${activation._id} was deleted meanwhile`);
    return updated;
  }
}
