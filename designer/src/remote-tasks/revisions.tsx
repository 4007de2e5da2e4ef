import type { RemoteTaskDefinitionView } from '../api/remote-tasks';
import { StateBadge } from '../console/badges';

/**
 * A definition's revisions, oldest first, each with the consumers that
 * activated it: they keep it until they upgrade. Choosing one shows its
 * fields above.
 */
export function Revisions({ definition, shown, onShow, remoteName }: { definition: RemoteTaskDefinitionView; shown: number; onShow: (revision: number) => void; remoteName: (id: string) => string }) {
  return (
    <div className="card" data-related="Revisions">
      <h2>
        Revisions <span className="muted">({definition.revisions.length})</span>
      </h2>
      <table aria-label="Revisions">
        <thead>
          <tr>
            <th>Revision</th>
            <th>Status</th>
            <th>Name</th>
            <th>Fields</th>
            <th>Published</th>
            <th>Consumers on it</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {definition.revisions.map((revision) => {
            const consumers = definition.activations.filter((activation) => activation.revision === revision.revision);
            return (
              <tr key={revision.revision} data-row={revision.revision} className={revision.revision === shown ? 'selected' : ''}>
                <td>{revision.revision}</td>
                <td>
                  <StateBadge state={revision.status} />
                </td>
                <td>{revision.name}</td>
                <td>{revision.fields.length}</td>
                <td>{revision.published_on ?? '—'}</td>
                <td data-consumers>{consumers.length === 0 ? <span className="muted">none</span> : consumers.map((one) => `${remoteName(one.remote_system)} (since ${one.activated_on})`).join(', ')}</td>
                <td>
                  <button type="button" className="small" disabled={revision.revision === shown} onClick={() => onShow(revision.revision)}>
                    Show fields
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
