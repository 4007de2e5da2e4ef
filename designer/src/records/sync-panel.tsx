import { StateBadge } from '../console/badges';
import { hrefOf } from '../route';
import { otherSideHref, type RecordLink } from './record-links';

/** The record's correlations: which remote systems it syncs with, in what state, and a link to it on the other side. */
export function SyncPanel({ links }: { links: readonly RecordLink[] }) {
  return (
    <section className="card sync-panel" aria-label="Synced with">
      <h2>Synced with</h2>
      {links.length === 0 ? (
        <p className="muted">No remote system: this record has no correlation.</p>
      ) : (
        <table aria-label="Correlations">
          <thead>
            <tr>
              <th>Remote system</th>
              <th>State</th>
              <th>On the other side</th>
            </tr>
          </thead>
          <tbody>
            {links.map((link) => {
              const { correlation, remote } = link;
              const href = otherSideHref(link);
              const name = remote?.name ?? 'a remote system you may not see';
              return (
                <tr key={correlation.sys_id}>
                  <td>{remote ? <a href={hrefOf({ page: 'remote-system', remoteSystemId: remote.sys_id })}>{remote.name}</a> : <span className="muted">{name}</span>}</td>
                  <td>
                    <StateBadge state={correlation.state} />
                  </td>
                  <td>
                    {href !== null ? (
                      <a href={href} target="_blank" rel="noreferrer">
                        Open on {name} ↗
                      </a>
                    ) : (
                      <span className="muted">not known yet: the other side has not answered</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
