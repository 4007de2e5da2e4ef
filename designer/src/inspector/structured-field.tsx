import { useState } from 'react';
import type { DataPill } from './data-pills';
import { ExpressionInput } from './expression-input';
import type { JsonSchema } from './field-kind';
import { JsonView } from './json-view';
import type { ParamProblem } from './param-problems';
import { FieldRows, ItemRows } from './value-rows';

type View = 'fields' | 'pill' | 'json';

const viewNames: Record<View, string> = { fields: 'Fields', pill: 'Data pill', json: 'JSON' };

/** A param given as one pill (`{{ inputs.payload }}`) opens on it; a list the schema leaves open is nearly always one; anything else opens on its rows. */
function firstView(value: unknown, schema: JsonSchema): View {
  if (typeof value === 'string') return 'pill';
  const openList = schema.type === 'array' && (schema.items === undefined || Object.keys(schema.items).length === 0);
  return value === undefined && openList ? 'pill' : 'fields';
}

/**
 * An object or list param, three ways: nested rows whose text takes data
 * pills at any depth, the whole value from one data pill, or JSON checked
 * against the node's schema. Switching views changes nothing; only an edit does,
 * so a param opened and left keeps its exact value.
 */
export function StructuredField({
  label,
  schema,
  value,
  onChange,
  check,
  pills,
  disabled,
}: {
  label: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  check: (value: unknown) => ParamProblem[];
  pills: readonly DataPill[];
  disabled: boolean;
}) {
  const [view, setView] = useState<View>(() => firstView(value, schema));
  const list = schema.type === 'array';
  return (
    <div className="structured-field" data-view={view}>
      <div className="view-switch" role="tablist" aria-label={`${label} view`}>
        {(Object.keys(viewNames) as View[]).map((choice) => (
          <button key={choice} type="button" role="tab" aria-selected={view === choice} className={view === choice ? 'chosen' : ''} onClick={() => setView(choice)}>
            {viewNames[choice]}
          </button>
        ))}
      </div>
      {view === 'pill' && (
        <>
          <ExpressionInput label={label} value={typeof value === 'string' ? value : ''} onChange={onChange} pills={pills} disabled={disabled} placeholder={list ? '{{ steps.… }}' : '{{ inputs.… }}'} />
          {typeof value !== 'string' && value !== undefined && <p className="field-help">Now set field by field; a data pill typed here takes its place.</p>}
        </>
      )}
      {view === 'fields' && typeof value === 'string' && (
        <p className="field-help whole-pill">
          Comes whole from <code>{value}</code>. Adding a {list ? 'item' : 'field'} builds it {list ? 'item by item' : 'field by field'} instead.
        </p>
      )}
      {view === 'fields' &&
        (list ? (
          <ItemRows place={label} value={Array.isArray(value) ? value : []} schema={schema} onChange={onChange} pills={pills} disabled={disabled} />
        ) : (
          <FieldRows place={label} value={isFields(value) ? value : {}} schema={schema} onChange={onChange} pills={pills} disabled={disabled} />
        ))}
      {view === 'json' && <JsonView label={label} value={value} onChange={onChange} check={check} disabled={disabled} />}
    </div>
  );
}

function isFields(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
