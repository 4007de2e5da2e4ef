import type { ReactNode } from 'react';
import { contextOf, type QueueItemDetail } from '../api/queues';
import { StateBadge } from '../console/badges';
import type { QueueSide } from '../console/console-routes';
import { dateTime, duration } from '../console/format';
import { hrefOf } from '../route';
import { blockerState, type QueueHealth } from './queue-health';

type Row = readonly [string, ReactNode];

/** How many sends failed, said so that a reset count after the last retry does not read as "never tried". */
function attempts(item: QueueItemDetail, health: QueueHealth): string {
  const count = item.retry?.attempts ?? 0;
  if (health.kind === 'stuck') return `${count}: reset when the link went to error; they count again once it is back`;
  if (health.kind === 'retrying') return `${count} failed so far`;
  return String(count);
}

function nextRetry(item: QueueItemDetail, health: QueueHealth, remoteName: string): string {
  if (health.kind === 'retrying') return dateTime(health.nextAttemptAt);
  if (health.kind === 'stuck') return `when the link to ${remoteName} is back: probed until the peer validates, or after Validate and Activate`;
  if (item.status === 'error') return 'none: it waits for Retry or Skip';
  return '—';
}

/** Where an item stands: its state, its tries, what it waits for, its run and its times. */
export function progressRows(side: QueueSide, item: QueueItemDetail, health: QueueHealth, remoteName: string): Row[] {
  const context = contextOf(item);
  const lastError = item.error_info ?? item.retry?.last_error ?? null;
  const blocker = item.waiting_for ?? null;
  const tries: Row[] =
    side === 'outbound'
      ? [
          ['Attempts', attempts(item, health)],
          ['Next retry', nextRetry(item, health, remoteName)],
        ]
      : [
          ['Times sent back to ready', item.attempt ?? 0],
          ['Next retry', item.status === 'error' ? 'none: inbound items are retried by hand' : '—'],
        ];
  return [
    ['Status', <StateBadge key="status" state={item.status} />],
    ...tries,
    ['Last error', lastError === null ? 'None' : <span className="error error-info">{lastError}</span>],
    [
      'Waits for',
      blocker === null ? (
        '—'
      ) : (
        <>
          <a href={hrefOf({ page: 'queue-item', side, itemId: blocker.sys_id })}>#{blocker.sequence}</a>, {blockerState(blocker)}
        </>
      ),
    ],
    [side === 'outbound' ? 'Outbound subflow context' : 'Transform context', context === null ? 'not run yet' : <a href={hrefOf({ page: 'context', contextId: context })}>{context}</a>],
    ['Created', dateTime(item.created_at)],
    ['Started', dateTime(item.started_at)],
    ['Finished', dateTime(item.finished_at)],
    ['Time in queue', duration(item.time_in_queue_ms)],
    ['Processing time', duration(item.processing_ms)],
  ];
}
