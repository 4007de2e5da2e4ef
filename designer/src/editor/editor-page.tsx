import { subflowApi, type LoadedSubflow } from '../api/subflows';
import { ProblemNotice } from '../console/problem-notice';
import { useApi } from '../console/use-api';
import { navigate } from '../route';
import { HistoryMenu } from './history-menu';
import { SubflowEditor } from './subflow-editor';

async function load(subflowId: string, version: number | undefined): Promise<LoadedSubflow> {
  if (version === undefined) return subflowApi.get(subflowId);
  return { subflow: await subflowApi.version(subflowId, version), etag: null };
}

/** A subflow's draft (editable unless it is a system template), or one of its published versions, read-only. */
export function EditorPage({ subflowId, version }: { subflowId: string; version?: number }) {
  const { value, error } = useApi(() => load(subflowId, version), `${subflowId}/${version}`);
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
