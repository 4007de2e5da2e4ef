import { applyRemoteTaskPayload, implement, StepError, type StepContext } from '@lockstep/flow';
import type { CapturedObject, RemoteTaskField } from '@lockstep/schema';
import { z } from 'zod';
import { principalOfRun, type Principal } from '../auth/principal.js';
import type { ResolvedTable, TableDictionary } from '../dictionary/dictionary.js';
import { tableForRun } from '../flows/actions/run-table.js';
import { ProblemError } from '../http/problem.js';
import { derivedId, DuplicateKeyError } from '@lockstep/store';
import { remoteSystemOf } from '../sync/actions/correlations.js';
import type { SyncConfigStore } from '../sync/config/sync-config-store.js';
import type { CorrelationStore, StoredCorrelation } from '../sync/correlation/correlation-store.js';
import { readRecordWrite, type RecordWrite } from '../table/record-input.js';
import type { RecordStore, StoredRecord } from '../table/record-store.js';
import { admissionProblem } from './definition-lifecycle.js';
import { revisionOf } from './definition-store.js';
import { inboundValues } from './field-rules.js';
import { CLOSED_COMPLETE, linkKey, type RemoteTaskRecords } from './remote-task-records.js';
import type { RuleBook } from './rule-book.js';

export interface ApplyParts {
  dictionary: TableDictionary;
  records: RecordStore;
  tasks: RemoteTaskRecords;
  rules: RuleBook;
  correlations: CorrelationStore;
  syncConfig: SyncConfigStore;
}

const linkSchema = z.object({
  definition: z.string().min(1),
  revision: z.number().int().min(1),
  number: z.string(),
  sys_id: z.string(),
  remote_sys_id: z.string().nullable(),
  state: z.enum(['open', 'closed']),
  first: z.boolean(),
});

type Received = CapturedObject & { metadata: CapturedObject['metadata'] & { correlation_id?: string | null; sender_correlation_id?: string | null } };

function writeOf(values: Record<string, unknown>, table: ResolvedTable): RecordWrite {
  try {
    return readRecordWrite(values, table);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    throw new StepError(`the values are not valid for ${table.name}: ${(error.errors ?? []).map((finding) => `${finding.path}: ${finding.message}`).join('; ') || error.detail}`);
  }
}

/** Virtual fields are shown, not stored: the remote task's work notes say what the consumer sent for them. */
function virtualNote(fields: readonly RemoteTaskField[], received: Received): { work_notes?: string } {
  const shown = fields.filter((field) => field.virtual && Object.hasOwn(received.fields, field.name)).map((field) => `${field.label || field.name}: ${String(received.fields[field.name])}`);
  return shown.length > 0 ? { work_notes: `Virtual fields from the consumer\n${shown.join('\n')}` } : {};
}

/**
 * Apply remote task payload: the provider's first payload of a task makes
 * the record in the definition's table, its remote task and its
 * correlation; later payloads update both under the task's rules; a closed
 * or deleted task closes this side's and stops syncing, keeping the record.
 */
export function applyImplementation(parts: ApplyParts) {
  /** This side's correlation of the payload's record: from the processor, or through the remote task the sender names (its first answer can overtake the correlation made after the first send). */
  async function correlationOf(received: Received, link: z.infer<typeof linkSchema>, remoteSystem: string, domain: string): Promise<StoredCorrelation | null> {
    const id = received.metadata.correlation_id;
    if (id) return parts.correlations.byLocalId(id, remoteSystem);
    const task = link.remote_sys_id ? await parts.tasks.get(link.remote_sys_id) : null;
    if (!task || task.remote_system !== remoteSystem) return null;
    return parts.correlations.create({ localTable: String(task.parent_table), localRecord: String(task.parent), remoteSystem, remoteCorrelationId: received.metadata.sender_correlation_id ?? null, domain });
  }

  /** The provider's side of a new remote task: checked against the definition as it stands now. */
  async function created(received: Received, link: z.infer<typeof linkSchema>, remoteSystem: string, context: StepContext, actor: Principal) {
    const side = await parts.rules.sideOf(link.definition, remoteSystem);
    if (side?.side !== 'provider') throw new StepError(`a remote task payload for definition ${link.definition} arrived without a correlation, and this instance is not its provider`);
    const { definition } = side;
    if (!definition.entitlements.includes(remoteSystem)) throw new StepError(`remote task definition "${definition.name}" is not entitled to remote system ${remoteSystem}`, 'not_entitled');
    const refused = admissionProblem(definition, link.revision);
    if (refused) throw new StepError(refused.detail, 'not_admitted');
    const revision = revisionOf(definition, link.revision)!;
    const table = tableForRun(parts.dictionary, revision.target_table, context.runAs, 'write');
    const rules = parts.rules.rulesOf(side, link.revision)!;
    const values = inboundValues(rules, received, true);
    // One record per consumer task, whichever run makes it.
    const sysId = derivedId('remote-task-record', remoteSystem, link.sys_id);
    let record: StoredRecord;
    try {
      record = await parts.records.create(table, writeOf(values, table), actor, { sysId, origin: context.origin });
    } catch (error) {
      const existing = error instanceof DuplicateKeyError ? await parts.records.get(table, sysId) : null;
      if (!existing) throw error;
      record = existing;
    }
    const correlation = await parts.correlations.create({ localTable: table.name, localRecord: sysId, remoteSystem, remoteCorrelationId: received.metadata.sender_correlation_id ?? null, domain: context.runAs.domain });
    const remote = await parts.syncConfig.remoteSystem(remoteSystem);
    const task = await parts.tasks.create(
      { parent: sysId, parentTable: table.name, definition: definition._id, revision: link.revision, remoteSystem },
      { short_description: String(record.short_description ?? revision.name).slice(0, 160), remote_number: link.number, remote_sys_id: link.sys_id, remote_instance: remote?.name ?? '', ...virtualNote(revision.fields, received) },
      actor,
    );
    // A local write, so it is captured: the consumer hears back this side's numbers at once.
    await parts.tasks.mark(table, sysId, linkKey(definition._id, remoteSystem), true, actor, null);
    return { kind: 'done' as const, output: { table: table.name, record: sysId, correlation: correlation._id, remoteTask: task.sys_id, outcome: 'created' as const } };
  }

  return implement(applyRemoteTaskPayload, async (params, context) => {
    const received = params.payload as unknown as Received;
    const parsed = linkSchema.safeParse(received.fields?.remote_task);
    if (!parsed.success) throw new StepError('the payload carries no remote task (fields.remote_task); was it sent by a remote task outbound flow?');
    const link = { ...parsed.data, definition: params.definition ?? parsed.data.definition };
    const remoteSystem = remoteSystemOf(params.remoteSystem, context);
    const actor = principalOfRun(context.runAs);
    const ignored = (table: string) => ({ kind: 'done' as const, output: { table, record: null, correlation: null, remoteTask: null, outcome: 'ignored' as const } });
    const closing = link.state === 'closed' || received.operation === 'delete';

    const correlation = await correlationOf(received, link, remoteSystem, context.runAs.domain);
    if (!correlation) return closing ? ignored(received.table) : created(received, link, remoteSystem, context, actor);
    const task = await parts.tasks.of(correlation.local_record, link.definition, remoteSystem);
    if (!task || task.active === false || correlation.state !== 'active') return ignored(correlation.local_table);
    const rules = await parts.rules.rulesFor(task);
    if (!rules) throw new StepError(`remote task ${String(task.number)} is on a revision this instance does not have`);
    const table = tableForRun(parts.dictionary, correlation.local_table, context.runAs, 'write');
    const values = inboundValues(rules, received, link.first);
    if (Object.keys(values).length > 0) {
      const once = { scope: context.contextId, key: context.idempotencyKey };
      await parts.records.update(table, correlation.local_record, writeOf(values, table), actor, { once, origin: context.origin });
    }
    const remoteState = received.fields.state;
    await parts.tasks.update(task.sys_id, { remote_number: link.number, remote_sys_id: link.sys_id, ...(remoteState === undefined || remoteState === null ? {} : { remote_state: String(remoteState) }) }, actor);
    if (closing) {
      await parts.tasks.close(task.sys_id, CLOSED_COMPLETE, actor, `Closed on the other side (${link.number}); the record stays, and stops syncing with it.`);
      await parts.correlations.setState(correlation._id, 'inactive');
      await parts.tasks.mark(table, correlation.local_record, linkKey(link.definition, remoteSystem), false, actor, context.origin);
    }
    const outcome = closing ? ('closed' as const) : ('updated' as const);
    return { kind: 'done', output: { table: table.name, record: correlation.local_record, correlation: correlation._id, remoteTask: task.sys_id, outcome } };
  });
}
