import type { ConditionGroup } from '@lockstep/schema';
import { useState } from 'react';
import { dictionaryApi } from '../api/dictionary';
import type { RemoteTaskTriggerView, TriggerBody } from '../api/remote-tasks';
import { useAction } from '../console/use-action';
import { useApi } from '../console/use-api';
import { ConditionBuilder } from '../inspector/condition-builder';
import { Modal } from '../modal';
import { Refusal } from './refusal';

type TriggerForm = Omit<TriggerBody, 'activation'>;

/** A trigger's name, whether it is active, and its condition, built from the table's fields as a capture definition's filter is. */
export function TriggerDialog({ table, trigger, onSubmit, onCancel }: { table: string; trigger: RemoteTaskTriggerView | null; onSubmit: (body: TriggerForm) => Promise<void>; onCancel: () => void }) {
  const [form, setForm] = useState<TriggerForm>(trigger ? { name: trigger.name, condition: trigger.condition, active: trigger.active } : { name: '', condition: { match: 'all', conditions: [] }, active: true });
  const view = useApi(() => dictionaryApi.table(table), table).value;
  const { busy, error, run } = useAction();
  const pills = (view?.fields ?? []).filter((field) => field.type !== 'journal').map((field) => ({ expression: field.name, source: `Fields of ${view?.label ?? table}` }));
  const submit = () => busy === null && void run('save', () => onSubmit(form));
  return (
    <Modal title={trigger === null ? 'New trigger' : `Edit trigger ${trigger.name}`} confirm={busy !== null ? 'Saving…' : trigger === null ? 'Create' : 'Save'} wide onSubmit={submit} onCancel={onCancel}>
      <label>
        Name
        <input name="name" value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} />
        <span className="field-help">What it catches, e.g. Priority 1 network incidents.</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={form.active} onChange={(event) => setForm({ ...form, active: event.target.checked })} /> Active
      </label>
      <span className="field-label">Condition on {view?.label ?? table}</span>
      <ConditionBuilder value={form.condition} onChange={(condition: ConditionGroup) => setForm({ ...form, condition })} pills={pills} disabled={false} />
      <p className="field-help">When a record’s change makes it hold and the record has no remote task on this definition yet, one is raised.</p>
      <Refusal error={error} context="Not saved" />
    </Modal>
  );
}
