import type { QueueFigures } from '../api/dashboard';
import { queueStatuses } from '../api/queues';
import type { QueueSide } from '../console/console-routes';
import { ago, duration } from '../console/format';
import { queueTitle } from '../queues/queue-page';
import { hrefOf } from '../route';

/** One queue's figures: its backlog per state (each a link to the list so filtered), throughput, processing time and last activity. */
export function QueueCard({ side, figures, now }: { side: QueueSide; figures: QueueFigures; now: number }) {
  return (
    <div className="card queue-card" data-queue={side}>
      <h2>
        <a href={hrefOf({ page: 'queue', side, query: {} })}>{queueTitle(side)}</a>
      </h2>
      <div className="status-counts">
        {queueStatuses.map((status) => (
          <a key={status} className={`count state-${status} ${(figures.by_status[status] ?? 0) > 0 ? 'has-items' : ''}`} href={hrefOf({ page: 'queue', side, query: { status } })} data-status={status}>
            <strong>{figures.by_status[status] ?? 0}</strong>
            <span>{status}</span>
          </a>
        ))}
      </div>
      <dl className="facts">
        <div>
          <dt>Processed, last minute / hour / day</dt>
          <dd data-figure="processed">
            {figures.processed.last_minute} / {figures.processed.last_hour} / {figures.processed.last_day}
          </dd>
        </div>
        <div>
          <dt>Average processing time, 24 h</dt>
          <dd>{duration(figures.average_processing_ms_24h)}</dd>
        </div>
        <div>
          <dt>Last item queued</dt>
          <dd>{ago(figures.last_queued_at, now)}</dd>
        </div>
        <div>
          <dt>Last item processed</dt>
          <dd>{ago(figures.last_processed_at, now)}</dd>
        </div>
      </dl>
    </div>
  );
}
