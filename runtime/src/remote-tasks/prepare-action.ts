import { implement, prepareRemoteTaskPayload, StepError } from '@lockstep/flow';
import type { CapturedObject } from '@lockstep/schema';
import { principalOfRun } from '../auth/principal.js';
import type { TableDictionary } from '../dictionary/dictionary.js';
import { ProblemError } from '../http/problem.js';
import { remoteSystemOf } from '../sync/actions/correlations.js';
import type { RecordStore, StoredRecord } from '../table/record-store.js';
import { nowDateTime } from '../time.js';
import type { ActivationStore } from './activation-store.js';
import type { RemoteTaskDefinitions } from './definition-store.js';
import { outboundContent } from './field-rules.js';
import type { RemoteTaskRaising } from './raising.js';
import { CLOSED_INCOMPLETE, type RemoteTaskRecords } from './remote-task-records.js';
import type { RuleBook } from './rule-book.js';

export interface PrepareParts {
  dictionary: TableDictionary;
  records: RecordStore;
  tasks: RemoteTaskRecords;
  rules: RuleBook;
  raising: RemoteTaskRaising;
  activations: ActivationStore;
  definitions: RemoteTaskDefinitions;
}

/** What travels with every remote task payload under `fields.remote_task`: the link, as the sender knows it. */
export interface RemoteTaskLinkPayload {
  definition: string;
  revision: number;
  number: string;
  sys_id: string;
  /** The receiver's remote task, once the sender has heard from it. */
  remote_sys_id: string | null;
  state: 'open' | 'closed';
  /** The sender's first payload of the task: fields that sync on insert only come with it. */
  first: boolean;
}

/** The definition a generated flow names, else the one whose capture definition captured the payload. */
async function definitionOf(given: string | undefined, captured: CapturedObject, parts: PrepareParts): Promise<string> {
  if (given) return given;
  const capture = captured.metadata.capture_definition;
  const activation = await parts.activations.activations.findOne({ 'generated.capture_definition': capture });
  if (activation) return activation.definition;
  throw new StepError(`no remote task definition: set the definition param of this step (capture definition ${capture} was not made by an activation)`);
}

/**
 * Prepare remote task payload: finds the record's remote task for the
 * definition and remote system, or on a consumer raises one when a trigger
 * matches, then keeps of the change only what the task's rules let this
 * side send.
 */
export function prepareImplementation(parts: PrepareParts) {
  return implement(prepareRemoteTaskPayload, async (params, context) => {
    const captured = params.payload as unknown as CapturedObject;
    const remoteSystem = remoteSystemOf(params.remoteSystem, context);
    const definition = await definitionOf(params.definition, captured, parts);
    const actor = principalOfRun(context.runAs);
    const nothing = (reason: string) => ({ kind: 'done' as const, output: { send: false, payload: {}, remoteTask: null, reason } });

    let task: StoredRecord | null = await parts.tasks.of(captured.sys_id, definition, remoteSystem);
    if (!task) {
      const side = await parts.rules.sideOf(definition, remoteSystem);
      const table = parts.dictionary.get(captured.table);
      const record = table && (await parts.records.get(table, captured.sys_id));
      if (side?.side !== 'consumer' || captured.operation === 'delete' || !table || !record) return nothing('the record has no remote task for this definition');
      const trigger = await parts.raising.matchingTrigger(side.activation, table, record, captured.fields);
      if (!trigger) return nothing('the record has no remote task for this definition, and no trigger matches it');
      const raised = await parts.raising.raiseByTrigger(side.activation, table, record, actor, trigger).catch((error: unknown) => {
        // The queue retries an unavailable peer later; the item keeps its place.
        throw error instanceof ProblemError ? new StepError(error.detail, 'peer_unavailable') : error;
      });
      context.log('info', raised.reason, { record: captured.sys_id });
      if (!raised.task) return nothing(raised.reason);
      task = raised.task;
    }
    if (task.active === false) return nothing(`remote task ${String(task.number)} is closed`);
    const rules = await parts.rules.rulesFor(task);
    if (!rules) throw new StepError(`remote task ${String(task.number)} is on revision ${String(task.definition_revision)} of definition ${definition}, which this instance no longer has`);

    const first = !task.first_sent_on;
    const closing = captured.operation === 'delete';
    const content = outboundContent(rules, captured, first);
    const link: RemoteTaskLinkPayload = {
      definition,
      revision: Number(task.definition_revision),
      number: String(task.number),
      sys_id: task.sys_id,
      remote_sys_id: typeof task.remote_sys_id === 'string' && task.remote_sys_id !== '' ? task.remote_sys_id : null,
      state: closing ? 'closed' : 'open',
      first,
    };
    if (first) await parts.tasks.update(task.sys_id, { first_sent_on: nowDateTime() }, actor);
    // Deleting the record closes its remote task; the other side closes its own and keeps its record.
    if (closing) await parts.tasks.close(task.sys_id, CLOSED_INCOMPLETE, actor, 'The record was deleted here; the remote task is closed on both sides.');
    const payload = { ...captured, ...content, fields: { ...content.fields, remote_task: link } };
    return { kind: 'done', output: { send: true, payload, remoteTask: task.sys_id, reason: first ? 'the first payload of the remote task' : 'a change of the remote task' } };
  });
}
