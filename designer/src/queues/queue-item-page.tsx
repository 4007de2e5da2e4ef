import { useState, type ReactNode } from 'react';
import { queueApi, type QueueItem } from '../api/queues';
import { StateBadge } from '../console/badges';
import type { QueueSide } from '../console/console-routes';
import { Facts } from '../console/facts';
import { JsonView } from '../console/json-view';
import { ProblemNotice } from '../console/problem-notice';
import { useApi } from '../console/use-api';
import { hrefOf } from '../route';
import { HealthBadge } from './health-badge';
import { ItemAlert } from './item-alert';
import { progressRows } from './item-progress';
import { QueueActions } from './queue-actions';
import { healthOf } from './queue-health';
import { queueTitle } from './queue-page';
import { useSyncNames } from './use-sync-names';

/**
 * One queue item: first whether it goes as it should (an error, a stuck or
 * retrying send, or the item it waits behind, said as an error with what to
 * do), then its progress, what it is, and its payload.
 */
export function QueueItemPage({ side, itemId }: { side: QueueSide; itemId: string }) {
  const loaded = useApi(() => queueApi.get(side, itemId), `${side}/${itemId}`, 3000);
  const [changed, setChanged] = useState<{ action: string; item: QueueItem } | null>(null);
  const names = useSyncNames();
  const item = loaded.value;
  if (item === null) return <section className="console-page">{loaded.error === null ? <p className="muted">Loading…</p> : <ProblemNotice error={loaded.error} />}</section>;
  const health = healthOf(item);
  const remoteName = names.nameOf(item.remote_system);
  const what: (readonly [string, ReactNode])[] = [
    ['Process event', names.nameOf(item.process_event)],
    ['Remote system', <a key="remote" href={hrefOf({ page: 'remote-system', remoteSystemId: item.remote_system })}>{remoteName}</a>],
    ['Operation', item.operation],
    ...(item.record ? [['Record', <a key="record" href={hrefOf({ page: 'record', table: item.record.table, sysId: item.record.sys_id })}>{`${item.record.table} ${item.record.sys_id}`}</a>] as const] : []),
    ...(item.remote_correlation_id !== undefined ? ([['Remote correlation ID', item.remote_correlation_id], ['Local correlation ID', item.local_correlation_id ?? '—']] as const) : []),
    ['Correlation key', <code key="key">{item.correlation_key}</code>],
    ['Domain', item.sys_domain],
  ];
  return (
    <section className="console-page">
      <p className="crumbs">
        <a href={hrefOf({ page: 'queue', side, query: {} })}>{queueTitle(side)}</a> ›
      </p>
      <div className="list-head">
        <h1>
          {side === 'outbound' ? 'Outbound' : 'Inbound'} item #{item.sequence} <StateBadge state={item.status} />
          <HealthBadge health={health} />
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
      <ItemAlert side={side} item={item} health={health} remoteName={remoteName} />
      <ProblemNotice error={loaded.error} />
      <div className="columns">
        <div className="card">
          <h2>Progress</h2>
          <Facts rows={progressRows(side, item, health, remoteName)} />
        </div>
        <div className="card">
          <h2>Item</h2>
          <Facts rows={what} />
        </div>
      </div>
      <div className="card">
        <h2>Payload</h2>
        <JsonView label="Payload" value={item.payload ?? item.payload_json} />
      </div>
    </section>
  );
}
