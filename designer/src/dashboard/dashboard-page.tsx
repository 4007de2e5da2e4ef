import { useState } from 'react';
import { dashboardApi, type Bucket } from '../api/dashboard';
import { dateTime } from '../console/format';
import { ProblemNotice } from '../console/problem-notice';
import { useApi } from '../console/use-api';
import { hrefOf } from '../route';
import { QueueCard } from './queue-card';
import { RemoteSystemsCard } from './remote-systems-card';
import { ThroughputChart } from './throughput-chart';

const POLL_MS = 3000;

/** What an admin watches an integration by: remote systems in error, queue errors, throughput and timing, and charts. */
export function DashboardPage() {
  const [bucket, setBucket] = useState<Bucket>('minute');
  const loaded = useApi(() => dashboardApi.get(bucket), bucket, POLL_MS);
  const dashboard = loaded.value;
  return (
    <section className="console-page dashboard">
      <div className="list-head">
        <h1>Dashboard</h1>
        <span className="muted small">{dashboard && `As of ${dateTime(dashboard.generated_at)}; refreshes every 3 s.`}</span>
      </div>
      <ProblemNotice error={loaded.error} context="The dashboard could not be refreshed" />
      {dashboard === null ? (
        loaded.error === null && <p className="muted">Loading…</p>
      ) : (
        <>
          <div className="columns three">
            <RemoteSystemsCard systems={dashboard.remote_systems} />
            <div className="card queue-errors">
              <h2>Queue errors</h2>
              {(['outbound', 'inbound'] as const).map((side) => (
                <p key={side}>
                  <a href={hrefOf({ page: 'queue', side, query: { status: 'error' } })} data-figure={`${side}-errors`} className={dashboard[side].by_status.error > 0 ? 'error' : ''}>
                    {dashboard[side].by_status.error} {side} item{dashboard[side].by_status.error === 1 ? '' : 's'} in error
                  </a>
                </p>
              ))}
            </div>
          </div>
          <div className="columns">
            <QueueCard side="outbound" figures={dashboard.outbound} now={dashboard.generated_at} />
            <QueueCard side="inbound" figures={dashboard.inbound} now={dashboard.generated_at} />
          </div>
          <div className="card">
            <div className="list-head">
              <h2>Throughput</h2>
              <select aria-label="Chart period" value={bucket} onChange={(event) => setBucket(event.target.value as Bucket)}>
                <option value="minute">Last hour, per minute</option>
                <option value="hour">Last day, per hour</option>
              </select>
            </div>
            <ThroughputChart series={dashboard.series} />
          </div>
        </>
      )}
    </section>
  );
}
