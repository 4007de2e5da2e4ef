import { queueApi, queueStatuses, type QueueItem } from '../api/queues';
import { StateBadge } from '../console/badges';
import type { ListQuery, QueueSide } from '../console/console-routes';
import { FilterBar, type FilterField } from '../console/filter-bar';
import { dateTime, duration } from '../console/format';
import { PagedTable, type Column } from '../console/paged-table';
import { useApi } from '../console/use-api';
import { hrefOf, navigate } from '../route';
import { HealthBadge } from './health-badge';
import { healthOf } from './queue-health';
import { useSyncNames, type SyncNames } from './use-sync-names';

const LIMIT = 50;
/** Often enough to watch a backlog drain. */
const POLL_MS = 2000;

export const queueTitle = (side: QueueSide) => (side === 'outbound' ? 'Outbound queue' : 'Inbound queue');

function columns(side: QueueSide, names: SyncNames): Column<QueueItem>[] {
  return [
    { header: 'Created', cell: (item) => <a href={hrefOf({ page: 'queue-item', side, itemId: item.sys_id })}>{dateTime(item.created_at)}</a> },
    {
      header: 'Status',
      cell: (item) => (
        <>
          <StateBadge state={item.status} />
          <HealthBadge health={healthOf(item)} />
        </>
      ),
    },
    { header: 'Process event', cell: (item) => names.nameOf(item.process_event) },
    { header: 'Remote system', cell: (item) => names.nameOf(item.remote_system) },
    { header: side === 'outbound' ? 'Record' : 'Remote correlation', cell: (item) => <code>{item.record ? `${item.record.table} ${item.record.sys_id.slice(0, 8)}…` : item.remote_correlation_id?.slice(0, 16)}</code> },
    { header: 'Seq.', cell: (item) => item.sequence },
    { header: 'Operation', cell: (item) => item.operation },
    { header: 'Time in queue', cell: (item) => duration(item.time_in_queue_ms) },
    { header: 'Processing', cell: (item) => duration(item.processing_ms) },
    { header: 'Error info', cell: (item) => <span className="error clip">{item.error_info ?? item.retry?.last_error ?? ''}</span> },
  ];
}

/** An outbound or inbound queue, as the original's list shows it, filtered and paged, following the runtime as items move. */
export function QueuePage({ side, query }: { side: QueueSide; query: ListQuery }) {
  const names = useSyncNames();
  const offset = Number(query.offset ?? 0);
  const loaded = useApi(() => queueApi.list(side, { ...query, limit: String(LIMIT) }), `${side}?${JSON.stringify(query)}`, POLL_MS);
  const filters: FilterField[] = [
    { name: 'status', label: 'Status', kind: 'select', options: queueStatuses.map((status) => ({ value: status, label: status })) },
    { name: 'process_event', label: 'Process event', kind: 'select', options: names.processEvents },
    { name: 'remote_system', label: 'Remote system', kind: 'select', options: names.remoteSystems },
    { name: 'created_after', label: 'Created after', kind: 'datetime' },
    { name: 'created_before', label: 'Created before', kind: 'datetime' },
    // The Table API's encoded query on the items' fields, for what the pickers do not offer (error_info LIKE, sequence>…).
    { name: 'sysparm_query', label: 'Query', kind: 'text' },
  ];
  const go = (next: ListQuery) => navigate({ page: 'queue', side, query: next });
  return (
    <section className="console-page">
      <div className="list-head">
        <h1>{queueTitle(side)}</h1>
        <span className="muted small">{side === 'outbound' ? 'Oldest first: each record’s changes go in sequence.' : 'Newest first.'} Refreshes every 2 s.</span>
      </div>
      <FilterBar fields={filters} query={query} onChange={go} />
      <PagedTable
        label={queueTitle(side)}
        loaded={loaded}
        columns={columns(side, names)}
        rowKey={(item) => item.sys_id}
        offset={offset}
        limit={LIMIT}
        onOffset={(next) => go({ ...query, offset: String(next) })}
        empty="No queue items match these filters."
      />
    </section>
  );
}
