import type { FieldDefinition } from '@lockstep/schema';
import type { RemoteTaskField } from '../api/remote-tasks';
import { ChoiceSelect } from './choice-select';
import { directionChoices, directionLabels, parseValueMap, syncWhenChoices, syncWhenLabels, type RuleRow } from './field-rules';

/**
 * A consumer's field rules for the fields a revision offers: the local field
 * each lives in (or left out), and its direction and "sync when" narrowed
 * within what the provider offers; the selects offer nothing wider.
 */
export function RulesEditor({ offered, localFields, rows, onChange }: { offered: readonly RemoteTaskField[]; localFields: readonly FieldDefinition[]; rows: readonly RuleRow[]; onChange: (rows: RuleRow[]) => void }) {
  const set = (index: number, changes: Partial<RuleRow>) => onChange(rows.map((row, at) => (at === index ? { ...row, ...changes } : row)));
  const choosable = localFields.filter((field) => !field.name.startsWith('sys_'));
  return (
    <table className="rules-table" aria-label="Field rules">
      <thead>
        <tr>
          <th>Offered field</th>
          <th>Provider offers</th>
          <th>Local field</th>
          <th>Direction</th>
          <th>Sync when</th>
          <th>Value map (local=provider’s)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => {
          const field = offered.find((one) => one.name === row.name)!;
          const mapProblem = parseValueMap(row.value_map);
          return (
            <tr key={row.name} data-field={row.name}>
              <td>
                {field.label || field.name} <code className="small">{field.name}</code>
                {field.virtual && <span className="badge">virtual</span>}
              </td>
              <td className="muted small">
                {directionLabels.consumer[field.direction]}, {syncWhenLabels[field.sync_when]}
              </td>
              <td>
                <select aria-label={`${field.name} local field`} value={row.local_field ?? ''} onChange={(event) => set(index, { local_field: event.target.value || null })}>
                  <option value="">— leave out —</option>
                  {choosable.map((local) => (
                    <option key={local.name} value={local.name}>
                      {local.label} ({local.name})
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <ChoiceSelect label={`${field.name} direction`} values={directionChoices(field.direction)} labels={directionLabels.consumer} value={row.direction} disabled={row.local_field === null} onChange={(direction) => set(index, { direction })} />
              </td>
              <td>
                <ChoiceSelect label={`${field.name} sync when`} values={syncWhenChoices(field.sync_when)} labels={syncWhenLabels} value={row.sync_when} disabled={row.local_field === null} onChange={(sync_when) => set(index, { sync_when })} />
              </td>
              <td>
                <input type="text" aria-label={`${field.name} value map`} placeholder="e.g. 1=1, 2=10" disabled={row.local_field === null} value={row.value_map} onChange={(event) => set(index, { value_map: event.target.value })} />
                {'problem' in mapProblem && <span className="field-help error">{mapProblem.problem}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
