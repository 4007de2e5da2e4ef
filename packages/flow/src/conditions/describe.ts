import { isConditionGroup, valuelessOperators, type ConditionGroup, type ConditionOperator, type ConditionRule } from '@lockstep/schema';
import { listIn } from './compare.js';

const phrases: Record<ConditionOperator, string> = {
  is: 'is',
  is_not: 'is not',
  in: 'is one of',
  not_in: 'is not one of',
  contains: 'contains',
  does_not_contain: 'does not contain',
  starts_with: 'starts with',
  ends_with: 'ends with',
  greater_than: 'is greater than',
  greater_or_equal: 'is at least',
  less_than: 'is less than',
  less_or_equal: 'is at most',
  is_empty: 'is empty',
  is_not_empty: 'is not empty',
  changes: 'changes',
  changes_to: 'changes to',
  changes_from: 'changes from',
};

/** The condition as a sentence for the designer and logs, e.g. `state is 2 and (priority is 1 or priority is 2)`. */
export function describeCondition(group: ConditionGroup): string {
  // An empty group is what evaluateCondition makes of it: every rule of none holds, some rule of none does not.
  if (group.conditions.length === 0) return group.match === 'all' ? 'always' : 'never';
  return group.conditions
    .map((node) => {
      if (!isConditionGroup(node)) return describeRule(node);
      const inner = describeCondition(node);
      return node.conditions.length > 1 ? `(${inner})` : inner;
    })
    .join(group.match === 'all' ? ' and ' : ' or ');
}

function describeRule(rule: ConditionRule): string {
  const subject = `${rule.field} ${phrases[rule.operator]}`;
  if (valuelessOperators.includes(rule.operator)) return subject;
  if (rule.operator === 'in' || rule.operator === 'not_in') {
    const items = listIn(rule.value);
    return `${subject} ${items.length === 0 ? '(no values)' : items.map(valueText).join(', ')}`;
  }
  return `${subject} ${valueText(rule.value)}`;
}

/** Plain words stay bare so `state is 2` reads naturally; anything else is quoted so its bounds show. */
function valueText(value: unknown): string {
  if (value === undefined) return '(no value)';
  if (typeof value === 'string' && /^[\w.:+-]+$/.test(value)) return value;
  return JSON.stringify(value);
}
