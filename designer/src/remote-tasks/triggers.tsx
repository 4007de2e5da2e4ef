import { describeCondition } from '@lockstep/flow/catalog';
import { useState } from 'react';
import { triggerApi, type RemoteTaskActivationView, type RemoteTaskTriggerView } from '../api/remote-tasks';
import { RelatedList } from '../admin/related-list';
import { StateBadge } from '../console/badges';
import { useApi } from '../console/use-api';
import { TriggerDialog } from './trigger-dialog';

/**
 * An activation's triggers: conditions on its table that raise a remote task
 * to the provider when a record's change makes them hold, once per record.
 */
export function Triggers({ activation }: { activation: RemoteTaskActivationView }) {
  const loaded = useApi(async () => (await triggerApi.list()).rows.filter((trigger) => trigger.activation === activation.sys_id), `triggers/${activation.sys_id}`);
  const [editing, setEditing] = useState<RemoteTaskTriggerView | 'new' | null>(null);
  const saved = () => {
    setEditing(null);
    loaded.reload();
  };
  return (
    <>
      <RelatedList<RemoteTaskTriggerView>
        title="Triggers"
        rows={loaded.value ?? []}
        columns={[
          { header: 'Name', cell: (trigger) => trigger.name },
          { header: 'Condition', cell: (trigger) => describeCondition(trigger.condition) },
          { header: 'State', cell: (trigger) => <StateBadge state={trigger.active ? 'active' : 'inactive'} /> },
        ]}
        newLabel="New trigger"
        onNew={() => setEditing('new')}
        onEdit={setEditing}
        describe={(trigger) => `The trigger "${trigger.name}"`}
        onDelete={async (trigger) => {
          await triggerApi.remove(trigger.sys_id);
          loaded.reload();
        }}
      />
      {editing !== null && (
        <TriggerDialog
          table={activation.table}
          trigger={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSubmit={async (body) => {
            if (editing === 'new') await triggerApi.create({ ...body, activation: activation.sys_id });
            else await triggerApi.change(editing.sys_id, body);
            saved();
          }}
        />
      )}
    </>
  );
}
