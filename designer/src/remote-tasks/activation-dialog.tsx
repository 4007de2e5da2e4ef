import { useState } from 'react';
import { dictionaryApi } from '../api/dictionary';
import type { ActivatedField, RemoteTaskCatalogEntry, RemoteTaskFieldRule } from '../api/remote-tasks';
import { useAction } from '../console/use-action';
import { useApi } from '../console/use-api';
import { Modal } from '../modal';
import { rulesOf, startingRows, type RuleRow } from './field-rules';
import { Refusal } from './refusal';
import { RulesEditor } from './rules-editor';

/**
 * Activation of an entitled revision, or an upgrade to a newer one: the
 * local table its tasks are raised on (fixed on an upgrade), and the field
 * rules within what the provider offers. The provider is asked for the
 * revision and the sync configuration is generated, which takes a moment;
 * the dialog says so while it runs.
 */
export function ActivationDialog({
  title,
  confirm,
  entry,
  table: fixedTable,
  earlier,
  onSubmit,
  onCancel,
}: {
  title: string;
  confirm: string;
  entry: RemoteTaskCatalogEntry;
  /** The activation's table, on an upgrade; chosen here on an activation. */
  table?: string;
  earlier?: readonly ActivatedField[];
  onSubmit: (table: string, rules: RemoteTaskFieldRule[]) => Promise<void>;
  onCancel: () => void;
}) {
  const [table, setTable] = useState(fixedTable ?? 'incident');
  const [edited, setEdited] = useState<{ table: string; rows: RuleRow[] } | null>(null);
  const tables = useApi(() => dictionaryApi.tables(), 'tables').value;
  const { busy, error, run } = useAction();
  const local = tables?.find((one) => one.name === table);
  // Rules start afresh on another table: its fields are others.
  const rows = edited?.table === table ? edited.rows : startingRows(entry.fields, new Set(local?.fields.map((field) => field.name)), earlier);
  const { rules, problems } = rulesOf(rows);
  const submit = () => busy === null && problems.length === 0 && void run('activate', () => onSubmit(table, rules));

  return (
    <Modal title={title} confirm={busy !== null ? 'Working…' : confirm} wide onSubmit={submit} onCancel={onCancel}>
      <p className="muted small">
        {entry.name}, revision {entry.revision}: worked on the provider’s {entry.target_table}. {entry.description}
      </p>
      <label>
        Local table
        <select name="table" value={table} disabled={fixedTable !== undefined} onChange={(event) => setTable(event.target.value)}>
          {(tables ?? [{ name: table, label: table }]).map((one) => (
            <option key={one.name} value={one.name}>
              {one.label} ({one.name})
            </option>
          ))}
        </select>
        <span className="field-help">Remote tasks are raised on records of this table, by a trigger or with Create remote task on the record.</span>
      </label>
      {local === undefined ? <p className="muted">Loading the table’s fields…</p> : <RulesEditor offered={entry.fields} localFields={local.fields} rows={rows} onChange={(next) => setEdited({ table, rows: next })} />}
      {problems.map((problem) => (
        <p key={problem} className="problem" role="alert">
          {problem}
        </p>
      ))}
      {busy !== null && (
        <p className="muted" role="status">
          Asking the provider for revision {entry.revision}, then generating the capture definition and the outbound and inbound flows…
        </p>
      )}
      <Refusal error={error} context={fixedTable === undefined ? 'Not activated' : 'Not upgraded'} />
    </Modal>
  );
}
