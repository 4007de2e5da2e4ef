import { useState } from 'react';
import { contextApi, type FlowContext } from '../api/contexts';
import { subflowApi, type SubflowSummary } from '../api/subflows';
import { hrefOf } from '../route';

/** Published versions (each opens read-only) and recent runs (each opens its flow context) of one subflow. */
export function HistoryMenu({ subflowId }: { subflowId: string }) {
  const [open, setOpen] = useState(false);
  const [versions, setVersions] = useState<SubflowSummary[] | null>(null);
  const [runs, setRuns] = useState<FlowContext[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const toggle = () => {
    setOpen(!open);
    if (open) return;
    subflowApi.versions(subflowId).then(setVersions, (failure: Error) => setError(failure.message));
    contextApi.listFor(subflowId).then(setRuns, (failure: Error) => setError(failure.message));
  };

  return (
    <div className="menu">
      <button type="button" onClick={toggle} aria-expanded={open}>
        History ▾
      </button>
      {open && (
        <div className="menu-panel" onClick={() => setOpen(false)}>
          {error !== null && <p className="field-error">{error}</p>}
          <h4>Versions</h4>
          {versions?.length === 0 && <p className="muted">Not published yet.</p>}
          {versions?.map((version) => (
            <a key={version.version} href={hrefOf({ page: 'version', subflowId, version: version.version })} data-version={version.version}>
              v{version.version} · {version.sys_updated_on} · {version.sys_updated_by}
            </a>
          ))}
          <h4>Runs</h4>
          {runs?.length === 0 && <p className="muted">No runs yet.</p>}
          {runs?.map((run) => (
            <a key={run.sys_id} href={hrefOf({ page: 'context', contextId: run.sys_id })}>
              <span className={`badge run-${run.status}`}>{run.status}</span> {run.test_run ? 'test' : 'run'} of {run.subflow_version === 'draft' ? 'draft' : `v${run.subflow_version}`} · {new Date(run.created_at).toLocaleString()}
            </a>
          ))}
        </div>
      )}
    </div>
  );
}
