import type { FieldDefinition } from '@lockstep/schema';
import { textOf } from '../inspector/text-of';
import { ReferenceInput } from './reference-input';

/** Long text gets a text area; the dictionary's short strings a line. */
const LONG_TEXT = 200;

/** A choice value's label, as lists and forms show it. */
export function choiceLabel(field: FieldDefinition | undefined, value: unknown): string {
  if (field?.type !== 'choice') return textOf(value);
  return field.choices.find((choice) => choice.value === value)?.label ?? textOf(value);
}

/** One field of a record form, its input picked by the field's type in the table dictionary. */
export function FieldInput({ field, value, onChange, disabled }: { field: FieldDefinition; value: unknown; onChange: (value: unknown) => void; disabled: boolean }) {
  const common = { id: `field-${field.name}`, name: field.name, disabled: disabled || field.readOnly === true };
  switch (field.type) {
    case 'choice':
      return (
        <select {...common} value={textOf(value)} onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}>
          <option value="">-- None --</option>
          {field.choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      );
    case 'boolean':
      return <input {...common} type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} />;
    case 'integer':
      return <input {...common} type="number" step={1} value={textOf(value)} onChange={(event) => onChange(event.target.value === '' ? null : Number(event.target.value))} />;
    case 'string':
      if ((field.maxLength ?? 0) > LONG_TEXT) return <textarea {...common} rows={4} value={textOf(value)} onChange={(event) => onChange(event.target.value)} />;
      return <input {...common} value={textOf(value)} maxLength={field.maxLength} onChange={(event) => onChange(event.target.value)} />;
    case 'reference':
      return <ReferenceInput field={field} value={value} onChange={onChange} disabled={disabled} />;
    default:
      // Date-times (YYYY-MM-DD HH:mm:ss, UTC) are typed as text; the runtime checks them.
      return <input {...common} value={textOf(value)} placeholder="YYYY-MM-DD HH:mm:ss (UTC)" onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)} />;
  }
}
