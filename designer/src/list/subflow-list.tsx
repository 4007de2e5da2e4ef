import { subflowKinds, type SubflowKind } from '@lockstep/schema';
import { useCallback, useEffect, useState } from 'react';
import { subflowApi, type SubflowSummary } from '../api/subflows';
import { isAbove } from '../domains/domain-path';
import { useWorkingDomain } from '../domains/working-domain';
import { hrefOf, navigate } from '../route';
import { NamePrompt } from './name-prompt';
import { starterGraph } from './starter-graph';

type Prompt = { action: 'create' } | { action: 'copy'; from: SubflowSummary } | { action: 'rename'; subflow: SubflowSummary };

/**
 * Every subflow of the working domain and below it, the read-only system
 * templates, and those a parent domain shares: usable here, changed only
 * there, so they offer Copy alone.
 */
export function SubflowList() {
  const working = useWorkingDomain().name;
  const [subflows, setSubflows] = useState<SubflowSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const [kind, setKind] = useState<SubflowKind>('outbound');

  const load = useCallback(() => {
    subflowApi.list().then(setSubflows, (failure: Error) => setError(failure.message));
  }, []);
  useEffect(load, [load]);

  /** Runs an action, showing its failure; the list reloads either way. */
  const act = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError((failure as Error).message);
    }
    load();
  };

  const submitPrompt = (name: string) => {
    const current = prompt;
    setPrompt(null);
    if (current === null) return;
    void act(async () => {
      if (current.action === 'create') navigate({ page: 'draft', subflowId: (await subflowApi.create(starterGraph(name, kind))).subflow.id });
      if (current.action === 'copy') navigate({ page: 'draft', subflowId: (await subflowApi.copy(current.from.id, name)).subflow.id });
      if (current.action === 'rename') {
        const { subflow, etag } = await subflowApi.get(current.subflow.id);
        await subflowApi.save(subflow.id, { ...subflow, name }, etag ?? '*');
      }
    });
  };

  const remove = (subflow: SubflowSummary) =>
    act(async () => {
      if (!window.confirm(`Delete the draft "${subflow.name}"?`)) return;
      const { etag } = await subflowApi.get(subflow.id);
      await subflowApi.remove(subflow.id, etag ?? '*');
    });

  return (
    <section className="subflow-list">
      <div className="list-head">
        <h1>Subflows</h1>
        <button type="button" className="primary" onClick={() => setPrompt({ action: 'create' })}>
          New subflow
        </button>
      </div>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {subflows === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>State</th>
              <th>Domain</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {subflows.map((subflow) => {
              const shared = !subflow.system && isAbove(subflow.sys_domain, working);
              const changeable = !subflow.system && !shared;
              return (
                <tr key={subflow.id} data-subflow={subflow.id}>
                  <td>
                    <a href={hrefOf({ page: 'draft', subflowId: subflow.id })}>{subflow.name}</a>
                    {subflow.system && <span className="badge readonly">read-only template</span>}
                    {shared && <span className="badge readonly">read-only, from {subflow.sys_domain}</span>}
                  </td>
                  <td>{subflow.kind}</td>
                  <td>
                    <span className={`badge ${subflow.status}`}>{subflow.system ? `v${subflow.version}` : `draft of v${subflow.version}`}</span>
                    {!subflow.system && (subflow.latestVersion ?? 0) > 0 && (
                      <a className="badge published" href={hrefOf({ page: 'version', subflowId: subflow.id, version: subflow.latestVersion ?? 1 })}>
                        published v{subflow.latestVersion}
                      </a>
                    )}
                  </td>
                  <td>{subflow.sys_domain}</td>
                  <td className="muted">
                    {subflow.sys_updated_on} by {subflow.sys_updated_by}
                  </td>
                  <td className="row-actions">
                    <button type="button" onClick={() => setPrompt({ action: 'copy', from: subflow })}>
                      Copy
                    </button>
                    {changeable && (
                      <button type="button" onClick={() => setPrompt({ action: 'rename', subflow })}>
                        Rename
                      </button>
                    )}
                    {changeable && (subflow.latestVersion ?? 0) === 0 && (
                      <button type="button" className="danger" onClick={() => void remove(subflow)}>
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {prompt?.action === 'create' && (
        <NamePrompt title="New subflow" initial="" confirm="Create" onSubmit={submitPrompt} onCancel={() => setPrompt(null)}>
          <label>
            Kind
            <select value={kind} onChange={(event) => setKind(event.target.value as SubflowKind)}>
              {subflowKinds.map((choice) => (
                <option key={choice}>{choice}</option>
              ))}
            </select>
          </label>
        </NamePrompt>
      )}
      {prompt?.action === 'copy' && <NamePrompt title={`Copy "${prompt.from.name}"`} initial={`Copy of ${prompt.from.name}`} confirm="Copy" onSubmit={submitPrompt} onCancel={() => setPrompt(null)} />}
      {prompt?.action === 'rename' && <NamePrompt title="Rename subflow" initial={prompt.subflow.name} confirm="Rename" onSubmit={submitPrompt} onCancel={() => setPrompt(null)} />}
    </section>
  );
}
