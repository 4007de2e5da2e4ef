import type { ReactNode } from 'react';
import type { QueueItemDetail } from '../api/queues';
import type { QueueSide } from '../console/console-routes';
import { dateTime } from '../console/format';
import { hrefOf } from '../route';
import { blockerState, type QueueHealth } from './queue-health';

function Alert({ title, error, next }: { title: string; error: string | null; next: ReactNode }) {
  return (
    <div className="problem item-alert" role="alert">
      <strong>{title}</strong>
      {error !== null && <p className="error-info">{error}</p>}
      <p>{next}</p>
    </div>
  );
}

/**
 * Why an item is not going, as an error with what to do about it; what it
 * waits behind when that is all; nothing when it goes as it should.
 */
export function ItemAlert({ side, item, health, remoteName }: { side: QueueSide; item: QueueItemDetail; health: QueueHealth; remoteName: string }) {
  const remoteLink = <a href={hrefOf({ page: 'remote-system', remoteSystemId: item.remote_system })}>{remoteName}</a>;
  switch (health.kind) {
    case 'in-error':
      return <Alert title="In error: its flow failed" error={health.error} next="Fix the cause, then Retry it; or Skip it, and the items after it of the same record go on without it." />;
    case 'stuck':
      return (
        <Alert
          title={`Stuck: sends kept failing, and remote system ${remoteName} was put in error`}
          error={health.error}
          next={<>It goes again, first in line, when the link is back: the runtime probes the peer until it validates (unless automatic recovery is off), or run Validate and Activate on {remoteLink}.</>}
        />
      );
    case 'retrying':
      return (
        <Alert
          title={`Retrying: ${health.attempts} ${health.attempts === 1 ? 'attempt' : 'attempts'} to send it failed`}
          error={health.error}
          next={<>The next attempt is at {dateTime(health.nextAttemptAt)}; if sends keep failing for the link&apos;s failure window, remote system {remoteLink} is put in error.</>}
        />
      );
    case 'fine':
      break;
  }
  const blocker = item.waiting_for;
  if (!blocker) return null;
  const link = <a href={hrefOf({ page: 'queue-item', side, itemId: blocker.sys_id })}>#{blocker.sequence}</a>;
  if (blocker.error === null) {
    return (
      <p className="notice" role="status">
        Waits for {link} of the same record, which is {blocker.status}, to go first.
      </p>
    );
  }
  return <Alert title={`Waiting behind #${blocker.sequence}, which is ${blockerState(blocker)}`} error={blocker.error} next={<>It goes once {link} is processed or skipped: the items of one record go in order.</>} />;
}
