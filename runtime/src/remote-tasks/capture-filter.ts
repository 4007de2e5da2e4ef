import { isConditionGroup, type ConditionGroup } from '@lockstep/schema';
import { linkKey } from './remote-task-records.js';

/**
 * The filter of a generated capture definition: a record with an open remote
 * task for the definition and remote system, or (on a consumer) one that a
 * trigger's condition holds for, which the outbound flow then raises a task
 * on. Any other record's changes are never captured for it.
 */
export function captureFilter(definition: string, remoteSystem: string, triggers: readonly ConditionGroup[] = []): ConditionGroup {
  return { match: 'any', conditions: [{ field: 'remote_tasks', operator: 'contains', value: linkKey(definition, remoteSystem) }, ...triggers] };
}

/** The fields a condition reads: captured with the change, so the outbound flow sees the record as the filter did. */
export function conditionFields(group: ConditionGroup): string[] {
  return group.conditions.flatMap((node) => (isConditionGroup(node) ? conditionFields(node) : [node.field.split('.')[0]!]));
}
