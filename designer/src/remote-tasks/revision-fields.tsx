import type { RemoteTaskRevision } from '../api/remote-tasks';
import { directionLabels, syncWhenLabels } from './field-rules';

/** The fields one revision offers, with their rules, as consumers get them. */
export function RevisionFields({ revision }: { revision: RemoteTaskRevision }) {
  const { subflows } = revision;
  return (
    <div className="card" data-revision-fields={revision.revision}>
      <h2>
        Fields and rules of revision {revision.revision} <span className="muted">({revision.status})</span>
      </h2>
      <table aria-label={`Fields of revision ${revision.revision}`}>
        <thead>
          <tr>
            <th>Field</th>
            <th>Label</th>
            <th>Direction</th>
            <th>Sync when</th>
            <th>Stored in</th>
          </tr>
        </thead>
        <tbody>
          {revision.fields.map((field) => (
            <tr key={field.name} data-field={field.name}>
              <td>
                <code>{field.name}</code>
              </td>
              <td>{field.label}</td>
              <td>{directionLabels.provider[field.direction]}</td>
              <td>{syncWhenLabels[field.sync_when]}</td>
              <td>{field.virtual ? <span className="muted">virtual: shown on the remote task, not stored</span> : <code>{`${revision.target_table}.${field.target_field ?? field.name}`}</code>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Subflows: inbound {subflows.inbound === null ? 'from the remote task template' : <code>{subflows.inbound}</code>}, outbound {subflows.outbound === null ? 'from the remote task template' : <code>{subflows.outbound}</code>}.
      </p>
    </div>
  );
}
