import type { AnyNodeDefinition } from '@lockstep/flow/catalog';
import type { ConditionGroup } from '@lockstep/schema';
import type { Finding } from '../api/subflows';
import { ConditionBuilder } from './condition-builder';
import type { DataPill } from './data-pills';
import { ExpressionInput } from './expression-input';
import { paramFields, type ParamField } from './field-kind';
import { LookupField } from './lookup-field';
import { paramProblems, type ParamProblem } from './param-problems';
import { StructuredField } from './structured-field';
import { textOf } from './text-of';

/** The form for a node's params, one field per property of its params schema, with the findings about each. */
export function ParamsForm({
  definition,
  params,
  onChange,
  pills,
  findings,
  disabled,
  nodeId,
}: {
  definition: AnyNodeDefinition;
  params: Record<string, unknown>;
  onChange: (key: string, value: unknown) => void;
  pills: readonly DataPill[];
  findings: readonly Finding[];
  disabled: boolean;
  nodeId: string;
}) {
  const fields = paramFields(definition);
  if (fields.length === 0) return <p className="muted">This node has no settings.</p>;
  return (
    <div className="params-form">
      {fields.map((field) => {
        const about = findings.filter((finding) => finding.path !== undefined && (finding.path === field.key || finding.path.startsWith(`${field.key}.`)));
        return (
          <div key={field.key} className={`field ${about.length > 0 ? 'invalid' : ''}`} data-param={field.key}>
            <label className="field-label">
              {field.key}
              {field.required && <span className="required">*</span>}
            </label>
            {/* Keyed by node so uncontrolled editors (JSON) start over when another node is selected. */}
            <FieldEditor
              key={`${nodeId}.${field.key}`}
              field={field}
              value={params[field.key]}
              onChange={(value) => onChange(field.key, value)}
              check={(value) => paramProblems(definition, { ...params, [field.key]: value }, field.key)}
              pills={pills}
              disabled={disabled}
            />
            {field.description !== '' && <p className="field-help">{field.description}</p>}
            {about.map((finding, index) => (
              <p key={index} className="field-error">
                {finding.message}
              </p>
            ))}
          </div>
        );
      })}
    </div>
  );
}

function FieldEditor({
  field,
  value,
  onChange,
  check,
  pills,
  disabled,
}: {
  field: ParamField;
  value: unknown;
  onChange: (value: unknown) => void;
  check: (value: unknown) => ParamProblem[];
  pills: readonly DataPill[];
  disabled: boolean;
}) {
  // Emptied, an optional param is left out, so the engine's default applies.
  const onText = (text: string) => onChange(text === '' && !field.required ? undefined : text);
  switch (field.field.kind) {
    case 'select':
      return (
        <select aria-label={field.key} value={textOf(value ?? field.defaultValue)} disabled={disabled} onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}>
          {!field.required && <option value="">—</option>}
          {field.field.options.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
      );
    case 'number':
      return (
        <input
          aria-label={field.key}
          type="number"
          value={typeof value === 'number' ? value : ''}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value === '' ? undefined : Number(event.target.value))}
        />
      );
    case 'condition':
      return <ConditionBuilder value={value as ConditionGroup | undefined} onChange={onChange} pills={pills} disabled={disabled} />;
    case 'text':
      return <ExpressionInput label={field.key} value={textOf(value)} onChange={onText} pills={pills} disabled={disabled} />;
    case 'lookup':
      return <LookupField label={field.key} source={field.field.source} value={textOf(value)} onChange={onText} pills={pills} disabled={disabled} />;
    case 'structured':
      return <StructuredField label={field.key} schema={field.field.schema} value={value} onChange={onChange} check={check} pills={pills} disabled={disabled} />;
  }
}
