import { remoteTaskDirections, syncWhenValues, type RemoteTaskRevisionContent } from '@lockstep/schema';
import { useId, useState } from 'react';
import { dictionaryApi } from '../api/dictionary';
import type { RemoteTaskField } from '../api/remote-tasks';
import { useConfigChoices } from '../admin/use-config-choices';
import { useAction } from '../console/use-action';
import { useApi } from '../console/use-api';
import { Modal } from '../modal';
import { ChoiceSelect } from './choice-select';
import { directionLabels, syncWhenLabels } from './field-rules';
import { Refusal } from './refusal';

/** What a new definition starts with: the one field every task has. */
export const NEW_DEFINITION: RemoteTaskRevisionContent = {
  name: '',
  description: '',
  target_table: 'case',
  fields: [{ name: 'short_description', label: 'Short description', direction: 'both', sync_when: 'insert_or_update', virtual: false, target_field: null }],
  subflows: { inbound: null, outbound: null },
};

const blankField: RemoteTaskField = { name: '', label: '', direction: 'both', sync_when: 'insert_or_update', virtual: false, target_field: null };

/** Only what a revision says: a revision's number, status and publish time are the runtime's. */
export function contentOf({ name, description, target_table, fields, subflows }: RemoteTaskRevisionContent): RemoteTaskRevisionContent {
  return { name, description, target_table, fields, subflows };
}

/**
 * A definition's revision as the provider writes it: name, description, the
 * table its tasks are worked in, the fields offered (each with its direction,
 * "sync when" rule, whether it is virtual, and the field it is stored in), and
 * subflows of its own to run instead of the templates.
 */
export function DefinitionDialog({ title, confirm, initial, note, onSubmit, onCancel }: { title: string; confirm: string; initial: RemoteTaskRevisionContent; note?: string; onSubmit: (content: RemoteTaskRevisionContent) => Promise<void>; onCancel: () => void }) {
  const [content, setContent] = useState(initial);
  const tables = useApi(() => dictionaryApi.tables(), 'tables').value ?? [];
  const choices = useConfigChoices(undefined);
  const { busy, error, run } = useAction();
  const fieldList = useId();
  const target = tables.find((table) => table.name === content.target_table);
  const change = (changes: Partial<RemoteTaskRevisionContent>) => setContent((current) => ({ ...current, ...changes }));
  const setField = (index: number, changes: Partial<RemoteTaskField>) => change({ fields: content.fields.map((field, at) => (at === index ? { ...field, ...changes } : field)) });
  const submit = () => busy === null && void run('save', () => onSubmit(content));
  const subflow = (kind: 'inbound' | 'outbound') => (
    <label>
      {kind === 'inbound' ? 'Inbound subflow' : 'Outbound subflow'}
      <select value={content.subflows[kind] ?? ''} onChange={(event) => change({ subflows: { ...content.subflows, [kind]: event.target.value || null } })}>
        <option value="">The remote task template</option>
        {choices.publishedOf(kind).map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <Modal title={title} confirm={busy !== null ? 'Saving…' : confirm} wide onSubmit={submit} onCancel={onCancel}>
      {note !== undefined && <p className="muted small">{note}</p>}
      <label>
        Name
        <input name="name" value={content.name} onChange={(event) => change({ name: event.target.value })} />
        <span className="field-help">What consumers see in their catalog, e.g. Network incident.</span>
      </label>
      <label>
        Description
        <textarea name="description" rows={2} value={content.description} onChange={(event) => change({ description: event.target.value })} />
      </label>
      <label>
        Target table
        <select name="target_table" value={content.target_table} onChange={(event) => change({ target_table: event.target.value })}>
          {tables.length === 0 && <option value={content.target_table}>{content.target_table}</option>}
          {tables.map((table) => (
            <option key={table.name} value={table.name}>
              {table.label} ({table.name})
            </option>
          ))}
        </select>
        <span className="field-help">Where this instance works the tasks consumers raise.</span>
      </label>
      <datalist id={fieldList}>
        {(target?.fields ?? []).filter((field) => !field.name.startsWith('sys_')).map((field) => (
          <option key={field.name} value={field.name}>
            {field.label}
          </option>
        ))}
      </datalist>
      <table className="field-rows" aria-label="Fields offered">
        <thead>
          <tr>
            <th>Field</th>
            <th>Label</th>
            <th>Direction</th>
            <th>Sync when</th>
            <th>Virtual</th>
            <th>Stored in</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {content.fields.map((field, index) => (
            <tr key={index}>
              <td>
                <input type="text" aria-label={`Field ${index + 1} name`} list={fieldList} value={field.name} onChange={(event) => setField(index, { name: event.target.value })} />
              </td>
              <td>
                <input type="text" aria-label={`Field ${index + 1} label`} value={field.label} onChange={(event) => setField(index, { label: event.target.value })} />
              </td>
              <td>
                <ChoiceSelect label={`Field ${index + 1} direction`} values={remoteTaskDirections} labels={directionLabels.provider} value={field.direction} onChange={(direction) => setField(index, { direction })} />
              </td>
              <td>
                <ChoiceSelect label={`Field ${index + 1} sync when`} values={syncWhenValues} labels={syncWhenLabels} value={field.sync_when} onChange={(sync_when) => setField(index, { sync_when })} />
              </td>
              <td>
                <input type="checkbox" aria-label={`Field ${index + 1} virtual`} checked={field.virtual} onChange={(event) => setField(index, event.target.checked ? { virtual: true, target_field: null } : { virtual: false })} />
              </td>
              <td>
                <input type="text" aria-label={`Field ${index + 1} stored in`} list={fieldList} placeholder={field.virtual ? 'not stored' : field.name} disabled={field.virtual} value={field.target_field ?? ''} onChange={(event) => setField(index, { target_field: event.target.value || null })} />
              </td>
              <td>
                <button type="button" className="icon" aria-label={`Remove field ${index + 1}`} onClick={() => change({ fields: content.fields.filter((_field, at) => at !== index) })}>
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="field-help">
        Directions are this instance’s: inbound comes from the consumer. A virtual field is shown on the remote task but stored on no {content.target_table} record. Stored in: the {content.target_table} field, the field’s own name when empty.
      </p>
      <button type="button" className="small" onClick={() => change({ fields: [...content.fields, blankField] })}>
        + Field
      </button>
      {subflow('inbound')}
      {subflow('outbound')}
      <Refusal error={error} context="Not saved" />
    </Modal>
  );
}
