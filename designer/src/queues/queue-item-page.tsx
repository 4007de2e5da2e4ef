import { useState, type ReactNode } from 'react';
import { contextOf, queueApi, type QueueItem } from '../api/queues';
import { StateBadge } from '../console/badges';
import type { QueueSide } from '../console/console-routes';
import { dateTime, duration } from '../console/format';
import { JsonView } from '../console/json-view';
import { ProblemNotice } from '../console/problem-notice';
import { useApi } from '../console/use-api';
import { hrefOf } from '../route';
import { QueueActions } from './queue-actions';
import { queueTitle } from './queue-page';
import { useSyncNames } from './use-sync-names';

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One queue item: its state and times, retry metadata, error info, payload, and links to its flow context and record. */
export function QueueItemPage({ side, itemId }: { side: QueueSide; itemId: string }) {
  const loaded = useApi(() => queueApi.get(side, itemId), `${side}/${itemId}`, 3000);
  const [changed, setChanged] = useState<{ action: string; item: QueueItem } | null>(null);
  const names = useSyncNames();
  const item = loaded.value;
  if (item === null) return <section className="console-page">{loaded.error === null ? <p className="muted">Loading…</p> : <ProblemNotice error={loaded.error} />}</section>;
  const context = contextOf(item);
  return (
    <section className="console-page">
      <p className="crumbs">
        <a href={hrefOf({ page: 'queue', side, query: {} })}>{queueTitle(side)}</a> ›
      </p>
      <div className="list-head">
        <h1>
          {side === 'outbound' ? 'Outbound' : 'Inbound'} item {item.correlation_key} #{item.sequence} <StateBadge state={item.status} />
        </h1>
        <QueueActions
          side={side}
          item={item}
          onDone={(action, moved) => {
            setChanged({ action, item: moved });
            loaded.reload();
          }}
        />
      </div>
      {changed !== null && (
        <p className="notice" role="status">
          {changed.action} done: the item went to {changed.item.status}; the status above follows it as the queue works.
        </p>
      )}
      <ProblemNotice error={loaded.error} />
      <div className="columns">
        <div className="card">
          <h2>State</h2>
          <Facts
            rows={[
              ['Status', <StateBadge key="status" state={item.status} />],
              ['Process event', names.nameOf(item.process_event)],
              ['Remote system', <a key="remote" href={hrefOf({ page: 'remote-system', remoteSystemId: item.remote_system })}>{names.nameOf(item.remote_system)}</a>],
              ['Operation', item.operation],
              ['Domain', item.sys_domain],
              ['Created', dateTime(item.created_at)],
              ['Started', dateTime(item.started_at)],
              ['Finished', dateTime(item.finished_at)],
              ['Time in queue', duration(item.time_in_queue_ms)],
              ['Processing time', duration(item.processing_ms)],
              [side === 'outbound' ? 'Outbound subflow context' : 'Transform context', context === null ? '—' : <a key="context" href={hrefOf({ page: 'context', contextId: context })}>{context}</a>],
              ...(item.record ? ([['Record', <a key="record" href={hrefOf({ page: 'record', table: item.record.table, sysId: item.record.sys_id })}>{`${item.record.table} ${item.record.sys_id}`}</a>]] as [string, ReactNode][]) : []),
              ...(item.remote_correlation_id !== undefined ? ([['Remote correlation ID', item.remote_correlation_id], ['Local correlation ID', item.local_correlation_id ?? '—']] as [string, ReactNode][]) : []),
            ]}
          />
        </div>
        <div className="card">
          <h2>Error info</h2>
          {item.error_info === null ? <p className="muted">None.</p> : <pre className="error-info">{item.error_info}</pre>}
          <h2>Retry metadata</h2>
          {item.retry ? (
            <Facts
              rows={[
                ['Attempts', item.retry.attempts],
                ['Next attempt', dateTime(item.retry.next_attempt_at)],
                ['Last error', item.retry.last_error ?? '—'],
              ]}
            />
          ) : (
            <Facts rows={[['Times sent back to ready', item.attempt ?? 0]]} />
          )}
        </div>
      </div>
      <div className="card">
        <h2>Payload</h2>
        <JsonView label="Payload" value={item.payload ?? item.payload_json} />
      </div>
    </section>
  );
}
