import {
  createCorrelation,
  implement,
  lookUpCorrelationByLocalId,
  lookUpCorrelationByLocalRecord,
  StepError,
  updateCorrelationState,
  type StepContext,
} from '@lockstep/flow';
import { toCorrelationView, type CorrelationStore } from '../correlation/correlation-store.js';

/** The remote system a sync action works with: the one given, else the run's own (`inputs.remoteSystem`, which every outbound and inbound run has). */
function givenOrRunRemoteSystem(given: string | undefined, context: StepContext): string | undefined {
  const fromRun = context.data.inputs.remoteSystem;
  return given ?? (typeof fromRun === 'string' ? fromRun : undefined);
}

/** As givenOrRunRemoteSystem, for actions that cannot work without one. */
export function remoteSystemOf(given: string | undefined, context: StepContext): string {
  const remoteSystem = givenOrRunRemoteSystem(given, context);
  if (remoteSystem === undefined) throw new StepError('no remote system: set the remoteSystem param, or run the subflow with a remoteSystem input');
  return remoteSystem;
}

export function correlationImplementations(correlations: CorrelationStore) {
  const byLocalId = implement(lookUpCorrelationByLocalId, async (params, context) => {
    // A local correlation id is unique on its own; the remote system only narrows the look-up when there is one.
    const found = await correlations.byLocalId(params.localCorrelationId, givenOrRunRemoteSystem(params.remoteSystem, context));
    return { kind: 'done', output: { found: found !== null, correlation: found ? toCorrelationView(found) : null } };
  });

  const byLocalRecord = implement(lookUpCorrelationByLocalRecord, async (params, context) => {
    const found = await correlations.byLocalRecord(params.table, params.sys_id, remoteSystemOf(params.remoteSystem, context));
    return { kind: 'done', output: { found: found !== null, correlation: found ? toCorrelationView(found) : null } };
  });

  const create = implement(createCorrelation, async (params, context) => {
    const created = await correlations.create({
      localTable: params.table,
      localRecord: params.sys_id,
      remoteSystem: remoteSystemOf(params.remoteSystem, context),
      remoteCorrelationId: params.remoteCorrelationId ?? null,
      domain: context.runAs.domain,
    });
    return { kind: 'done', output: { correlation: toCorrelationView(created) } };
  });

  const setState = implement(updateCorrelationState, async (params) => {
    const updated = await correlations.setState(params.correlation, params.state);
    if (!updated) throw new StepError(`there is no correlation ${params.correlation}`);
    return { kind: 'done', output: { correlation: toCorrelationView(updated) } };
  });

  return [byLocalId, byLocalRecord, create, setState];
}
