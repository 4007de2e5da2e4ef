import type { StoredRecord } from '../table/record-store.js';
import type { ActivationStore, StoredActivation } from './activation-store.js';
import { revisionOf, type RemoteTaskDefinitions, type StoredRemoteTaskDefinition } from './definition-store.js';
import { consumerRules, providerRules, type SideRule } from './field-rules.js';

export type TaskSide = { side: 'consumer'; activation: StoredActivation } | { side: 'provider'; definition: StoredRemoteTaskDefinition };

/**
 * Which side of a definition this instance is for one remote system, and the
 * rules a remote task runs under: those of the revision it was raised on,
 * whatever revision the consumer has upgraded to since.
 */
export class RuleBook {
  constructor(
    private readonly definitions: RemoteTaskDefinitions,
    private readonly activations: ActivationStore,
  ) {}

  /** A consumer has activated the definition with this remote system; a provider owns it. Null: neither. */
  async sideOf(definition: string, remoteSystem: string): Promise<TaskSide | null> {
    const activation = await this.activations.of(remoteSystem, definition);
    if (activation) return { side: 'consumer', activation };
    const owned = await this.definitions.get(definition);
    return owned ? { side: 'provider', definition: owned } : null;
  }

  rulesOf(side: TaskSide, revision: number): SideRule[] | null {
    if (side.side === 'consumer') {
      const activated = side.activation.revisions.find((one) => one.revision === revision);
      return activated ? consumerRules(activated.fields) : null;
    }
    const offered = revisionOf(side.definition, revision);
    return offered ? providerRules(offered.fields) : null;
  }

  async rulesFor(task: StoredRecord): Promise<SideRule[] | null> {
    const side = await this.sideOf(String(task.remote_task_definition), String(task.remote_system));
    return side && this.rulesOf(side, Number(task.definition_revision));
  }
}
