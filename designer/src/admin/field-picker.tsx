import type { FieldDefinition } from '@lockstep/schema';

/**
 * The capture's Include fields, as the original's slushbucket: the table's
 * fields on the left, the selected ones, in order, on the right.
 */
export function FieldPicker({ fields, selected, onChange, disabled }: { fields: readonly FieldDefinition[]; selected: readonly string[]; onChange: (selected: string[]) => void; disabled: boolean }) {
  const labelOf = (name: string) => fields.find((field) => field.name === name)?.label ?? name;
  const available = fields.filter((field) => !selected.includes(field.name) && !field.name.startsWith('sys_'));
  return (
    <div className="field-picker">
      <div>
        <h4>Available</h4>
        <ul aria-label="Available fields">
          {available.map((field) => (
            <li key={field.name}>
              <button type="button" className="small" disabled={disabled} onClick={() => onChange([...selected, field.name])} aria-label={`Include ${field.label}`}>
                + {field.label} <span className="muted">{field.name}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div>
        <h4>Selected</h4>
        <ul aria-label="Selected fields">
          {selected.map((name) => (
            <li key={name}>
              <span className="pill">{labelOf(name)}</span>
              <button type="button" className="icon" disabled={disabled} aria-label={`Leave out ${labelOf(name)}`} onClick={() => onChange(selected.filter((other) => other !== name))}>
                ×
              </button>
            </li>
          ))}
          {selected.length === 0 && <li className="muted">None: the payload carries no fields.</li>}
        </ul>
      </div>
    </div>
  );
}
