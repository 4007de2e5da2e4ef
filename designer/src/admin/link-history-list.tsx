import { linkHistory } from '../api/link-history';
import { StateBadge } from '../console/badges';
import { ProblemNotice } from '../console/problem-notice';
import { useApi } from '../console/use-api';

/**
 * A remote system's link history: when each direction went to error or
 * came back, and why (what failed for how long, the probe that validated,
 * who pressed Validate and Activate), newest first. Read again with the page.
 */
export function LinkHistoryList({ remoteSystemId }: { remoteSystemId: string }) {
  const loaded = useApi(() => linkHistory(remoteSystemId), remoteSystemId, 3000);
  const transitions = loaded.value ?? [];
  return (
    <div className="card" data-related="Link history">
      <div className="list-head">
        <h2>Link history</h2>
      </div>
      <ProblemNotice error={loaded.error} />
      <table aria-label="Link history">
        <thead>
          <tr>
            <th>When</th>
            <th>Direction</th>
            <th>State</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {transitions.map((transition) => (
            <tr key={transition.sys_id} data-row={transition.sys_id}>
              <td>{new Date(transition.at).toLocaleString()}</td>
              <td>{transition.direction}</td>
              <td>
                <StateBadge state={transition.from} /> → <StateBadge state={transition.to} />
              </td>
              <td>{transition.reason}</td>
            </tr>
          ))}
          {transitions.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {loaded.value === null ? 'Loading…' : 'No state changes yet.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
