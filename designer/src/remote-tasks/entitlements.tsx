import { useState } from 'react';
import { definitionApi, type RemoteTaskDefinitionView } from '../api/remote-tasks';
import type { RemoteSystemView } from '../api/sync-config';
import { ConfirmDialog } from '../console/confirm-dialog';
import { useAction } from '../console/use-action';
import { hrefOf } from '../route';
import { Refusal } from './refusal';

/**
 * The consumers a definition is entitled to: remote systems of this
 * instance, each in its consumer's domain. Only they see it in their
 * catalog and may activate it; taking one back is confirmed.
 */
export function Entitlements({ definition, remotes, onChanged }: { definition: RemoteTaskDefinitionView; remotes: readonly RemoteSystemView[]; onChanged: () => void }) {
  const [chosen, setChosen] = useState('');
  const [removing, setRemoving] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const entitled = definition.entitlements.map((id) => ({ id, remote: remotes.find((remote) => remote.sys_id === id) }));
  const others = remotes.filter((remote) => !definition.entitlements.includes(remote.sys_id));
  const activatedBy = (id: string) => definition.activations.filter((activation) => activation.remote_system === id);

  const entitle = async () => {
    if (await run('entitle', () => definitionApi.entitle(definition.sys_id, chosen))) {
      setChosen('');
      onChanged();
    }
  };
  const takeBack = async (id: string) => {
    setRemoving(null);
    if (await run('remove', () => definitionApi.unentitle(definition.sys_id, id))) onChanged();
  };

  return (
    <div className="card" data-related="Entitlements">
      <h2>
        Entitled consumers <span className="muted">({entitled.length})</span>
      </h2>
      <table aria-label="Entitled consumers">
        <thead>
          <tr>
            <th>Consumer (remote system)</th>
            <th>Domain</th>
            <th>Activated</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {entitled.map(({ id, remote }) => (
            <tr key={id} data-row={id}>
              <td>{remote ? <a href={hrefOf({ page: 'remote-system', remoteSystemId: id })}>{remote.name}</a> : <code>{id}</code>}</td>
              <td>{remote?.sys_domain ?? '—'}</td>
              <td>{activatedBy(id).map((one) => `revision ${one.revision} on ${one.activated_on}`).join(', ') || <span className="muted">not yet</span>}</td>
              <td className="row-actions">
                <button type="button" className="danger small" disabled={busy !== null} onClick={() => setRemoving(id)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
          {entitled.length === 0 && (
            <tr>
              <td colSpan={4} className="muted empty">
                Entitled to no one: no consumer sees it yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="create-remote-task">
        <select aria-label="Consumer to entitle" value={chosen} onChange={(event) => setChosen(event.target.value)}>
          <option value="">-- choose a remote system --</option>
          {others.map((remote) => (
            <option key={remote.sys_id} value={remote.sys_id}>
              {remote.name} ({remote.sys_domain})
            </option>
          ))}
        </select>
        <button type="button" disabled={chosen === '' || busy !== null} onClick={() => void entitle()}>
          {busy === 'entitle' ? 'Entitling…' : 'Entitle'}
        </button>
      </div>
      <Refusal error={error} context="The entitlements were not changed" />
      {removing !== null && (
        <ConfirmDialog title="Remove the entitlement?" confirm="Remove" onConfirm={() => void takeBack(removing)} onCancel={() => setRemoving(null)}>
          <p>
            {entitled.find((one) => one.id === removing)?.remote?.name ?? removing} will no longer see {definition.name} in its catalog, nor activate it or raise new remote tasks on it.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
