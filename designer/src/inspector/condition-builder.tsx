import { conditionOperators, isConditionGroup, valuelessOperators, type ConditionGroup, type ConditionOperator, type ConditionRule } from '@lockstep/schema';
import { describeCondition } from '@lockstep/flow/catalog';
import { useId } from 'react';
import type { DataPill } from './data-pills';
import { ExpressionInput } from './expression-input';
import { textOf } from './text-of';

const emptyRule = (): ConditionRule => ({ field: '', operator: 'is', value: '' });

/** Builds an If's condition: rules and nested groups, each matching all or any, read back as a sentence. */
export function ConditionBuilder({ value, onChange, pills, disabled }: { value: ConditionGroup | undefined; onChange: (value: ConditionGroup) => void; pills: readonly DataPill[]; disabled: boolean }) {
  const group = value ?? { match: 'all', conditions: [] };
  const fieldsList = useId();
  return (
    <div className="condition-builder">
      <datalist id={fieldsList}>
        {pills.map((pill) => (
          <option key={pill.expression} value={pill.expression} />
        ))}
      </datalist>
      <Group group={group} onChange={onChange} pills={pills} disabled={disabled} fieldsList={fieldsList} depth={0} />
      <p className="condition-sentence">{describeCondition(group)}</p>
    </div>
  );
}

function Group({
  group,
  onChange,
  onRemove,
  pills,
  disabled,
  fieldsList,
  depth,
}: {
  group: ConditionGroup;
  onChange: (group: ConditionGroup) => void;
  onRemove?: () => void;
  pills: readonly DataPill[];
  disabled: boolean;
  fieldsList: string;
  depth: number;
}) {
  const setItem = (index: number, item: ConditionRule | ConditionGroup) => onChange({ ...group, conditions: group.conditions.map((old, at) => (at === index ? item : old)) });
  const removeItem = (index: number) => onChange({ ...group, conditions: group.conditions.filter((_old, at) => at !== index) });
  return (
    <div className={`condition-group depth-${depth % 2}`}>
      <div className="condition-group-head">
        <select aria-label="Match" value={group.match} disabled={disabled} onChange={(event) => onChange({ ...group, match: event.target.value as ConditionGroup['match'] })}>
          <option value="all">All of these hold</option>
          <option value="any">Any of these holds</option>
        </select>
        {onRemove && !disabled && (
          <button type="button" className="icon" aria-label="Remove group" onClick={onRemove}>
            ×
          </button>
        )}
      </div>
      {group.conditions.map((item, index) =>
        isConditionGroup(item) ? (
          <Group key={index} group={item} onChange={(next) => setItem(index, next)} onRemove={() => removeItem(index)} pills={pills} disabled={disabled} fieldsList={fieldsList} depth={depth + 1} />
        ) : (
          <Rule key={index} rule={item} onChange={(next) => setItem(index, next)} onRemove={() => removeItem(index)} pills={pills} disabled={disabled} fieldsList={fieldsList} />
        ),
      )}
      {!disabled && (
        <div className="condition-add">
          <button type="button" className="small" onClick={() => onChange({ ...group, conditions: [...group.conditions, emptyRule()] })}>
            + Condition
          </button>
          <button type="button" className="small" onClick={() => onChange({ ...group, conditions: [...group.conditions, { match: 'any', conditions: [emptyRule()] }] })}>
            + Group
          </button>
        </div>
      )}
    </div>
  );
}

function Rule({
  rule,
  onChange,
  onRemove,
  pills,
  disabled,
  fieldsList,
}: {
  rule: ConditionRule;
  onChange: (rule: ConditionRule) => void;
  onRemove: () => void;
  pills: readonly DataPill[];
  disabled: boolean;
  fieldsList: string;
}) {
  const valueless = valuelessOperators.includes(rule.operator);
  return (
    <div className="condition-rule">
      <input aria-label="Field" placeholder="inputs.payload.state" list={fieldsList} value={rule.field} disabled={disabled} onChange={(event) => onChange({ ...rule, field: event.target.value })} />
      <select
        aria-label="Operator"
        value={rule.operator}
        disabled={disabled}
        onChange={(event) => {
          const operator = event.target.value as ConditionOperator;
          onChange(valuelessOperators.includes(operator) ? { field: rule.field, operator } : { ...rule, operator });
        }}
      >
        {conditionOperators.map((operator) => (
          <option key={operator} value={operator}>
            {operator.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
      {!valueless && <ExpressionInput label="Value" value={textOf(rule.value)} pills={pills} disabled={disabled} onChange={(value) => onChange({ ...rule, value })} />}
      {!disabled && (
        <button type="button" className="icon" aria-label="Remove condition" onClick={onRemove}>
          ×
        </button>
      )}
    </div>
  );
}
