import type { DataPill } from './data-pills';
import { ExpressionInput } from './expression-input';
import { textOf } from './text-of';

/**
 * A name → value map (a record's field values, an End's outputs, variables):
 * one row per name, each value a text that may hold data pills.
 */
export function MappingTable({
  value,
  onChange,
  pills,
  disabled,
  label,
}: {
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  pills: readonly DataPill[];
  disabled: boolean;
  label: string;
}) {
  const rows = Object.entries(value);
  // Rows are edited as an ordered list so renaming a key keeps its place.
  const update = (index: number, key: string, item: unknown) => onChange(Object.fromEntries(rows.map((row, at) => (at === index ? [key, item] : row))));
  const remove = (index: number) => onChange(Object.fromEntries(rows.filter((_row, at) => at !== index)));
  const add = () => {
    let n = rows.length + 1;
    while (`field_${n}` in value) n += 1;
    onChange({ ...value, [`field_${n}`]: '' });
  };

  return (
    <div className="mapping-table" role="table" aria-label={label}>
      {rows.map(([key, item], index) => (
        <div key={index} className="mapping-row" role="row">
          <input aria-label={`${label} name ${index + 1}`} value={key} disabled={disabled} onChange={(event) => update(index, event.target.value, item)} />
          <span className="arrow">→</span>
          <ExpressionInput label={`${label} ${key}`} value={textOf(item)} pills={pills} disabled={disabled} onChange={(text) => update(index, key, text)} />
          {!disabled && (
            <button type="button" className="icon" aria-label={`Remove ${key}`} onClick={() => remove(index)}>
              ×
            </button>
          )}
        </div>
      ))}
      {!disabled && (
        <button type="button" className="small" onClick={add}>
          + Add {rows.length === 0 ? 'a row' : 'another'}
        </button>
      )}
    </div>
  );
}
