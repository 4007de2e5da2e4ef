import './remote-tasks.css';
import { useState } from 'react';
import { activationApi, type RemoteTaskActivationView, type RemoteTaskCatalogEntry } from '../api/remote-tasks';
import { syncConfigApi } from '../api/sync-config';
import { StateBadge } from '../console/badges';
import { PagedTable, type Column } from '../console/paged-table';
import { useApi } from '../console/use-api';
import { hrefOf, navigate } from '../route';
import { ActivationDialog } from './activation-dialog';
import { Refusal } from './refusal';
import { RemoteTasksNav } from './sub-nav';

/**
 * The consumer's side: a provider's catalog of what it entitled to this
 * instance (asked of the provider behind the remote system chosen), Activate
 * on each entry, and this instance's activations.
 */
export function RemoteTaskCatalogPage() {
  const remotes = useApi(() => syncConfigApi.remoteSystems.list(), 'remote-systems');
  const activations = useApi(() => activationApi.list(), 'activations');
  const [provider, setProvider] = useState('');
  const remoteName = (id: string) => remotes.value?.rows.find((remote) => remote.sys_id === id)?.name ?? id;

  const activationColumns: Column<RemoteTaskActivationView>[] = [
    { header: 'Definition', cell: (activation) => <a href={hrefOf({ page: 'remote-task-activation', activationId: activation.sys_id })}>{activation.name}</a> },
    { header: 'Provider', cell: (activation) => remoteName(activation.remote_system) },
    { header: 'Local table', cell: (activation) => <code>{activation.table}</code> },
    { header: 'Revision', cell: (activation) => activation.revision },
    { header: 'Domain', cell: (activation) => activation.sys_domain },
  ];

  return (
    <section className="console-page">
      <RemoteTasksNav current="remote-task-catalog" />
      <h1>Remote task catalog</h1>
      <div className="card">
        <label className="field">
          <span className="field-label">Provider (remote system)</span>
          <select aria-label="Provider" value={provider} onChange={(event) => setProvider(event.target.value)}>
            <option value="">-- choose a provider --</option>
            {(remotes.value?.rows ?? []).map((remote) => (
              <option key={remote.sys_id} value={remote.sys_id}>
                {remote.name} ({remote.sys_domain})
              </option>
            ))}
          </select>
        </label>
        <Refusal error={remotes.error} />
        {provider === '' ? (
          <p className="muted">Choose a provider to see the definitions it entitled to this instance.</p>
        ) : (
          <Catalog key={provider} provider={provider} activations={activations.value?.rows ?? []} />
        )}
      </div>
      <h2>Activations</h2>
      <PagedTable label="Activations" loaded={activations} columns={activationColumns} rowKey={(activation) => activation.sys_id} offset={0} limit={1000} onOffset={() => undefined} empty="Nothing activated yet." />
    </section>
  );
}

/** One provider's catalog, asked of it when shown; an entry this instance activated already links to its activation. */
function Catalog({ provider, activations }: { provider: string; activations: readonly RemoteTaskActivationView[] }) {
  const catalog = useApi(() => activationApi.catalog(provider), provider);
  const [activating, setActivating] = useState<RemoteTaskCatalogEntry | null>(null);
  const activationOf = (entry: RemoteTaskCatalogEntry) => activations.find((one) => one.remote_system === provider && one.definition === entry.definition);
  if (catalog.value === null) return catalog.error === null ? <p className="muted">Asking the provider for its catalog…</p> : <Refusal error={catalog.error} context="The catalog could not be read" />;

  return (
    <>
      <table aria-label="Catalog">
        <thead>
          <tr>
            <th>Definition</th>
            <th>Description</th>
            <th>Worked on</th>
            <th>Revision</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {catalog.value.map((entry) => {
            const activation = activationOf(entry);
            return (
              <tr key={entry.definition} data-row={entry.definition}>
                <td>{entry.name}</td>
                <td>{entry.description}</td>
                <td>
                  <code>{entry.target_table}</code>
                </td>
                <td>{entry.revision}</td>
                <td>
                  <StateBadge state={entry.state} />
                </td>
                <td className="row-actions">
                  {activation ? (
                    <a href={hrefOf({ page: 'remote-task-activation', activationId: activation.sys_id })}>
                      Activated, revision {activation.revision}
                      {activation.revision < entry.revision ? ` (revision ${entry.revision} to upgrade to)` : ''}
                    </a>
                  ) : (
                    <button type="button" className="primary small" disabled={entry.state !== 'published'} onClick={() => setActivating(entry)}>
                      Activate
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
          {catalog.value.length === 0 && (
            <tr>
              <td colSpan={6} className="muted empty">
                This provider has entitled no remote task definition to this instance. Ask its admin to entitle one.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {activating !== null && (
        <ActivationDialog
          title={`Activate ${activating.name}`}
          confirm="Activate"
          entry={activating}
          onCancel={() => setActivating(null)}
          onSubmit={async (table, fields) => {
            const activation = await activationApi.activate({ remote_system: provider, definition: activating.definition, table, fields });
            navigate({ page: 'remote-task-activation', activationId: activation.sys_id });
          }}
        />
      )}
    </>
  );
}
