import { fromLocalInput, toLocalInput } from './format';
import type { ListQuery } from './console-routes';

/** One filter of a list: a choice, a time bound (kept as epoch ms) or free text. */
export type FilterField =
  | { name: string; label: string; kind: 'select'; options: readonly { value: string; label: string }[] }
  | { name: string; label: string; kind: 'datetime' }
  | { name: string; label: string; kind: 'text' };

/**
 * The filters above a list. Each change gives the new query with the page
 * reset to the first, since the old offset means nothing in another list.
 */
export function FilterBar({ fields, query, onChange }: { fields: readonly FilterField[]; query: ListQuery; onChange: (query: ListQuery) => void }) {
  const set = (name: string, value: string) => {
    const { offset: _offset, ...rest } = query;
    onChange({ ...rest, [name]: value });
  };
  const active = fields.some((field) => (query[field.name] ?? '') !== '');
  return (
    <div className="filter-bar" role="search">
      {fields.map((field) => (
        <label key={field.name}>
          {field.label}
          {field.kind === 'select' && (
            <select value={query[field.name] ?? ''} onChange={(event) => set(field.name, event.target.value)}>
              <option value="">Any</option>
              {field.options.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          )}
          {field.kind === 'datetime' && <input type="datetime-local" value={toLocalInput(query[field.name])} onChange={(event) => set(field.name, fromLocalInput(event.target.value))} />}
          {field.kind === 'text' && <TextFilter value={query[field.name] ?? ''} onCommit={(value) => set(field.name, value)} />}
        </label>
      ))}
      {active && (
        <button type="button" className="link" onClick={() => onChange({})}>
          Clear filters
        </button>
      )}
    </div>
  );
}

/** Free text applies on Enter or on leaving the field, not on every key. */
function TextFilter({ value, onCommit }: { value: string; onCommit: (value: string) => void }) {
  return (
    <input
      key={value}
      defaultValue={value}
      onBlur={(event) => event.target.value !== value && onCommit(event.target.value)}
      onKeyDown={(event) => event.key === 'Enter' && onCommit(event.currentTarget.value)}
    />
  );
}
