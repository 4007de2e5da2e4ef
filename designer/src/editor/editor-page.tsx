import { subflowApi, type LoadedSubflow } from '../api/subflows';
import { ProblemNotice } from '../console/problem-notice';
import { useApi } from '../console/use-api';
import { isAbove } from '../domains/domain-path';
import { useWorkingDomain } from '../domains/working-domain';
import { navigate } from '../route';
import { HistoryMenu } from './history-menu';
import { SubflowEditor } from './subflow-editor';

async function load(subflowId: string, version: number | undefined): Promise<LoadedSubflow> {
  if (version === undefined) return subflowApi.get(subflowId);
  return { subflow: await subflowApi.version(subflowId, version), etag: null };
}

/**
 * A subflow's draft, or one of its published versions, read-only; a system
 * template, and a subflow a parent domain shares, are read-only too.
 */
export function EditorPage({ subflowId, version }: { subflowId: string; version?: number }) {
  const { value, error } = useApi(() => load(subflowId, version), `${subflowId}/${version}`);
  const working = useWorkingDomain().name;
  if (value === null) return <div className="page-error">{error === null ? <p className="muted">Loading…</p> : <ProblemNotice error={error} />}</div>;

  const copy = async () => {
    const { subflow } = await subflowApi.copy(subflowId, `Copy of ${value.subflow.name}`);
    navigate({ page: 'draft', subflowId: subflow.id });
  };
  const readOnlyReason =
    version !== undefined
      ? `Version ${version} is published and never changes. Copy it to build on it, or open the draft to edit.`
      : value.subflow.system
        ? 'This is a system template and is read-only. Copy it to make your own.'
        : isAbove(value.subflow.sys_domain, working)
          ? `This subflow belongs to ${value.subflow.sys_domain}, a parent of ${working}: flows here may run it, but only ${value.subflow.sys_domain} changes it. Copy it to make your own in ${working}.`
          : undefined;

  return (
    <SubflowEditor
      loaded={value}
      version={version}
      readOnlyReason={readOnlyReason}
      actions={
        <>
          <HistoryMenu subflowId={subflowId} />
          {readOnlyReason !== undefined && (
            <button type="button" className="primary" onClick={() => void copy()}>
              Copy to edit
            </button>
          )}
        </>
      }
    />
  );
}
