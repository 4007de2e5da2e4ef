import { useState } from 'react';
import { actionAppliesTo, queueActions, queueApi, type QueueAction, type QueueItem } from '../api/queues';
import type { QueueSide } from '../console/console-routes';
import { ConfirmDialog } from '../console/confirm-dialog';
import { ProblemNotice } from '../console/problem-notice';
import { useAction } from '../console/use-action';

/** What each action does, said before it is confirmed. */
const explained: Record<QueueAction, string> = {
  retry: 'The item goes back to ready with its retries reset, and is processed again in its turn.',
  skip: 'The item is marked skipped and never processed; the items after it for the same record go on without it.',
  reprocess: 'The item goes back to ready and its change is processed again, under a new flow context. Only the last change of a record can be.',
};

const label = (action: QueueAction) => action[0]!.toUpperCase() + action.slice(1);

/** Retry, skip and reprocess, each offered only where the runtime allows it and each confirmed first. */
export function QueueActions({ side, item, onDone }: { side: QueueSide; item: QueueItem; onDone: (action: string, item: QueueItem) => void }) {
  const [asking, setAsking] = useState<QueueAction | null>(null);
  const { busy, error, run: runAction } = useAction();

  const run = (action: QueueAction) => {
    setAsking(null);
    void runAction(action, async () => onDone(label(action), await queueApi.act(side, item.sys_id, action)));
  };

  return (
    <div className="row-actions">
      {queueActions.map((action) => (
        <button key={action} type="button" disabled={busy !== null || !actionAppliesTo[action].includes(item.status)} title={`${label(action)} applies to ${actionAppliesTo[action].join(' or ')} items`} onClick={() => setAsking(action)}>
          {label(action)}
        </button>
      ))}
      {error !== null && <ProblemNotice error={error} context="The queue did not change" />}
      {asking !== null && (
        <ConfirmDialog title={`${label(asking)} this item?`} confirm={label(asking)} onConfirm={() => run(asking)} onCancel={() => setAsking(null)}>
          <p>
            {item.correlation_key} #{item.sequence} is {item.status}.
          </p>
          <p>{explained[asking]}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
