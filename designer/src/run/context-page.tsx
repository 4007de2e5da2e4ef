import { contextApi, type FlowContext } from '../api/contexts';
import { subflowApi, type LoadedSubflow } from '../api/subflows';
import { ProblemNotice } from '../console/problem-notice';
import { useApi } from '../console/use-api';
import { SubflowEditor } from '../editor/subflow-editor';

/** A draft run keeps the graph it ran; a published version's graph is the version's. */
async function load(contextId: string): Promise<{ context: FlowContext; loaded: LoadedSubflow }> {
  const context = await contextApi.get(contextId);
  const version = context.subflow_version;
  const subflow = version === 'draft' || context.graph !== null ? { ...(await subflowApi.get(context.subflow_id)).subflow, ...(context.graph ?? {}) } : await subflowApi.version(context.subflow_id, version);
  return { context, loaded: { subflow, etag: null } };
}

/** Any past flow context on the graph it ran, each step's status on the canvas and its input and output in the inspector. */
export function ContextPage({ contextId }: { contextId: string }) {
  const { value, error } = useApi(() => load(contextId), contextId);
  if (value === null) return <div className="page-error">{error === null ? <p className="muted">Loading…</p> : <ProblemNotice error={error} />}</div>;
  const { context, loaded } = value;
  return <SubflowEditor loaded={loaded} run={context} readOnlyReason={`Flow context ${context.sys_id} in domain ${context.sys_domain}: a ${context.test_run ? 'test ' : ''}run of ${context.subflow_name} (${context.subflow_version === 'draft' ? 'draft' : `v${context.subflow_version}`}), shown read-only.`} />;
}
