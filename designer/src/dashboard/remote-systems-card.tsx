import type { Dashboard } from '../api/dashboard';
import { StateBadge } from '../console/badges';
import { hrefOf } from '../route';

type Remote = Dashboard['remote_systems'][number];
const inError = (remote: Remote) => remote.inbound_state === 'error' || remote.outbound_state === 'error';

/** Every remote system with its two states, those in error first and called out. */
export function RemoteSystemsCard({ systems }: { systems: Dashboard['remote_systems'] }) {
  const failing = systems.filter(inError);
  const sorted = [...failing, ...systems.filter((remote) => !inError(remote))];
  return (
    <div className={`card remote-systems-card ${failing.length > 0 ? 'alarm' : ''}`}>
      <h2>Remote systems</h2>
      <p className={failing.length > 0 ? 'error' : 'muted'} data-figure="remote-systems-in-error">
        {failing.length === 0 ? 'None in error.' : `${failing.length} in error: open one and run Validate and Activate once its peer is back.`}
      </p>
      <table aria-label="Remote systems">
        <tbody>
          {sorted.map((remote) => (
            <tr key={remote.sys_id} data-remote-system={remote.sys_id} className={inError(remote) ? 'in-error' : ''}>
              <td>
                <a href={hrefOf({ page: 'remote-system', remoteSystemId: remote.sys_id })}>{remote.name}</a>
              </td>
              <td>
                <StateBadge label="Outbound" state={remote.outbound_state} />
              </td>
              <td>
                <StateBadge label="Inbound" state={remote.inbound_state} />
              </td>
            </tr>
          ))}
          {systems.length === 0 && (
            <tr>
              <td className="muted">No remote systems yet: create one in a process sync definition.</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
