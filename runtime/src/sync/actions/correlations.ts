import {
  createCorrelation,
  implement,
  lookUpCorrelationByLocalId,
  lookUpCorrelationByLocalRecord,
  StepError,
  updateCorrelationState,
  type StepContext,
} from '@lockstep/flow';
import type { TableDictionary } from '../../dictionary/dictionary.js';
import { scopeOf } from '../../domains/domain-scope.js';
import { outsideRunDomain, recordForRun, tableForRun } from '../../flows/actions/run-table.js';
import type { RecordStore } from '../../table/record-store.js';
import { toCorrelationView, type CorrelationStore, type StoredCorrelation } from '../correlation/correlation-store.js';

/**
 * The remote system a sync action works with: the one given, else the run's
 * own (the queue's, or a test run's `remoteSystem` input).
 */
function givenOrRunRemoteSystem(given: string | undefined, context: StepContext): string | undefined {
  if (given !== undefined) return given;
  if (context.sync !== null && context.sync.kind !== 'dry_run') return context.sync.remote_system;
  const fromInputs = context.data.inputs.remoteSystem;
  return typeof fromInputs === 'string' ? fromInputs : undefined;
}

/** As givenOrRunRemoteSystem, for actions that cannot work without one. */
export function remoteSystemOf(given: string | undefined, context: StepContext): string {
  const remoteSystem = givenOrRunRemoteSystem(given, context);
  if (remoteSystem === undefined) throw new StepError('no remote system: set the remoteSystem param, or run the subflow with a remoteSystem input');
  return remoteSystem;
}

/**
 * A correlation a step found, when it lies in the run's domain or below it.
 * One outside fails the step rather than pass for missing: the flow would go
 * on to make the record and its correlation a second time.
 */
export function correlationForRun<T extends StoredCorrelation | null>(found: T, context: StepContext): T {
  if (found && !scopeOf(context.runAs).sees(found.sys_domain)) {
    throw outsideRunDomain(`correlation ${found._id} (of the ${found.local_table} record ${found.local_record} with remote system ${found.remote_system})`, found.sys_domain, context.runAs);
  }
  return found;
}

export interface CorrelationActionParts {
  correlations: CorrelationStore;
  dictionary: TableDictionary;
  records: RecordStore;
}

/** The correlation actions, in the run's domain: the correlations they find, make and change are the run's own or below. */
export function correlationImplementations({ correlations, dictionary, records }: CorrelationActionParts) {
  const view = (found: StoredCorrelation | null) => ({ found: found !== null, correlation: found ? toCorrelationView(found) : null });

  const byLocalId = implement(lookUpCorrelationByLocalId, async (params, context) => {
    // A local correlation id is unique on its own; the remote system only narrows the look-up when there is one.
    const found = params.localCorrelationId === null ? null : await correlations.byLocalId(params.localCorrelationId, givenOrRunRemoteSystem(params.remoteSystem, context));
    return { kind: 'done', output: view(correlationForRun(found, context)) };
  });

  const byLocalRecord = implement(lookUpCorrelationByLocalRecord, async (params, context) => {
    const found = await correlations.byLocalRecord(params.table, params.sys_id, remoteSystemOf(params.remoteSystem, context));
    return { kind: 'done', output: view(correlationForRun(found, context)) };
  });

  // Only for a record the run may read: a correlation made for another domain's record would hold that record's place.
  const create = implement(createCorrelation, async (params, context) => {
    const table = tableForRun(dictionary, params.table, context.runAs, 'read');
    // A record already deleted (an outbound delete) is correlated all the same; one outside the run's domain fails the step.
    await recordForRun(records, table, params.sys_id, context.runAs);
    const created = await correlations.create({
      localTable: params.table,
      localRecord: params.sys_id,
      remoteSystem: remoteSystemOf(params.remoteSystem, context),
      remoteCorrelationId: params.remoteCorrelationId ?? null,
      domain: context.runAs.domain,
    });
    return { kind: 'done', output: { correlation: toCorrelationView(correlationForRun(created, context)) } };
  });

  const setState = implement(updateCorrelationState, async (params, context) => {
    const missing = new StepError(`there is no correlation ${params.correlation}`);
    if (!correlationForRun(await correlations.get(params.correlation), context)) throw missing;
    const updated = await correlations.setState(params.correlation, params.state);
    if (!updated) throw missing;
    return { kind: 'done', output: { correlation: toCorrelationView(updated) } };
  });

  return [byLocalId, byLocalRecord, create, setState];
}
