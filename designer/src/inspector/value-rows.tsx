import type { DataPill } from './data-pills';
import { ExpressionInput } from './expression-input';
import type { JsonSchema } from './field-kind';
import { blankOf, convert, kindOf, valueKinds, type ValueKind } from './value-kind';
import { fieldSchema, itemSchema, nextFieldName } from './value-schema';

/** How a place in a param reads in labels: `values.short_description`, `channels[0].url`. */
export function placeName(parent: string, key: string | number): string {
  return typeof key === 'number' ? `${parent}[${key}]` : `${parent}.${key}`;
}

interface RowsProps<T> {
  /** The place these rows edit, e.g. `channels[0]`; every control's label starts with it. */
  place: string;
  value: T;
  schema: JsonSchema | undefined;
  onChange: (value: T) => void;
  pills: readonly DataPill[];
  disabled: boolean;
}

/** An object's fields as name → value rows, in their order; renaming a field keeps its place. */
export function FieldRows({ place, value, schema, onChange, pills, disabled }: RowsProps<Record<string, unknown>>) {
  const entries = Object.entries(value);
  const put = (index: number, key: string, item: unknown) => onChange(Object.fromEntries(entries.map((entry, at) => (at === index ? [key, item] : entry))));
  const add = () => {
    const key = nextFieldName(schema, value);
    onChange({ ...value, [key]: blankOf(fieldSchema(schema, key)) });
  };
  return (
    <div className="value-rows" role="group" aria-label={place}>
      {entries.map(([key, item], index) => (
        <div key={index} className="value-row">
          <input className="value-name" aria-label={`${placeName(place, key)} name`} value={key} disabled={disabled} onChange={(event) => put(index, event.target.value, item)} />
          <ValueEditor place={placeName(place, key)} value={item} schema={fieldSchema(schema, key)} onChange={(next) => put(index, key, next)} pills={pills} disabled={disabled} />
          {!disabled && (
            <button type="button" className="icon" aria-label={`Remove ${placeName(place, key)}`} onClick={() => onChange(Object.fromEntries(entries.filter((_entry, at) => at !== index)))}>
              ×
            </button>
          )}
        </div>
      ))}
      {!disabled && (
        <button type="button" className="small" aria-label={`Add a field to ${place}`} onClick={add}>
          + Field
        </button>
      )}
    </div>
  );
}

/** A list's items, one row each, numbered from 0 as data pills number them. */
export function ItemRows({ place, value, schema, onChange, pills, disabled }: RowsProps<unknown[]>) {
  return (
    <div className="value-rows" role="group" aria-label={place}>
      {value.map((item, index) => (
        <div key={index} className="value-row">
          <span className="value-index">{index}</span>
          <ValueEditor place={placeName(place, index)} value={item} schema={itemSchema(schema, item)} onChange={(next) => onChange(value.map((old, at) => (at === index ? next : old)))} pills={pills} disabled={disabled} />
          {!disabled && (
            <button type="button" className="icon" aria-label={`Remove ${placeName(place, index)}`} onClick={() => onChange(value.filter((_old, at) => at !== index))}>
              ×
            </button>
          )}
        </div>
      ))}
      {!disabled && (
        <button type="button" className="small" aria-label={`Add an item to ${place}`} onClick={() => onChange([...value, blankOf(itemSchema(schema, undefined))])}>
          + Item
        </button>
      )}
    </div>
  );
}

/** One value: its kind, and the editor for that kind; text takes data pills, fields and lists nest. */
function ValueEditor({ place, value, schema, onChange, pills, disabled }: RowsProps<unknown>) {
  const kind = kindOf(value);
  return (
    <div className={`value-editor kind-${kind === 'true/false' ? 'boolean' : kind}`}>
      <select className="value-kind" aria-label={`${place} kind`} value={kind} disabled={disabled} onChange={(event) => onChange(convert(value, event.target.value as ValueKind))}>
        {valueKinds.map((choice) => (
          <option key={choice}>{choice}</option>
        ))}
      </select>
      {kind === 'text' && <ExpressionInput label={place} value={value as string} onChange={onChange} pills={pills} disabled={disabled} />}
      {kind === 'number' && <input aria-label={place} type="number" value={value as number} disabled={disabled} onChange={(event) => onChange(convert(event.target.value, 'number'))} />}
      {kind === 'true/false' && (
        <select aria-label={place} value={String(value)} disabled={disabled} onChange={(event) => onChange(event.target.value === 'true')}>
          <option>true</option>
          <option>false</option>
        </select>
      )}
      {kind === 'fields' && <FieldRows place={place} value={value as Record<string, unknown>} schema={schema} onChange={onChange} pills={pills} disabled={disabled} />}
      {kind === 'list' && <ItemRows place={place} value={value as unknown[]} schema={schema} onChange={onChange} pills={pills} disabled={disabled} />}
    </div>
  );
}
