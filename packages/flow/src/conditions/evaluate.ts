import { isConditionGroup, type ConditionGroup, type ConditionRule } from '@lockstep/schema';
import { compareOrder, isEmpty, listIn, looselyEqual, textOf } from './compare.js';
import { readField } from './field-path.js';

/**
 * Whether `current` satisfies the condition. `previous` is the data before
 * the change, for the changes operators; leave it out for an insert, where a
 * field "changes" when it has a value. Rule values must already be resolved:
 * data pills in them are not evaluated here.
 */
export function evaluateCondition(group: ConditionGroup, current: object, previous?: object): boolean {
  const holds = (node: ConditionRule | ConditionGroup): boolean =>
    isConditionGroup(node) ? evaluateCondition(node, current, previous) : ruleHolds(node, current, previous);
  return group.match === 'all' ? group.conditions.every(holds) : group.conditions.some(holds);
}

function ruleHolds(rule: ConditionRule, current: object, previous: object | undefined): boolean {
  const value = readField(current, rule.field);
  const expected = rule.value;
  switch (rule.operator) {
    case 'is':
      return looselyEqual(value, expected);
    case 'is_not':
      return !looselyEqual(value, expected);
    case 'in':
      return listIn(expected).some((item) => looselyEqual(value, item));
    case 'not_in':
      return !listIn(expected).some((item) => looselyEqual(value, item));
    case 'contains':
      return contains(value, expected);
    case 'does_not_contain':
      return !contains(value, expected);
    case 'starts_with':
      return !isEmpty(value) && lower(value).startsWith(lower(expected));
    case 'ends_with':
      return !isEmpty(value) && lower(value).endsWith(lower(expected));
    case 'greater_than':
      return ordered(value, expected, (order) => order > 0);
    case 'greater_or_equal':
      return ordered(value, expected, (order) => order >= 0);
    case 'less_than':
      return ordered(value, expected, (order) => order < 0);
    case 'less_or_equal':
      return ordered(value, expected, (order) => order <= 0);
    case 'is_empty':
      return isEmpty(value);
    case 'is_not_empty':
      return !isEmpty(value);
    case 'changes':
      return changed(rule.field, current, previous);
    case 'changes_to':
      return changed(rule.field, current, previous) && looselyEqual(value, expected);
    case 'changes_from':
      return changed(rule.field, current, previous) && looselyEqual(readField(previous, rule.field), expected);
  }
}

/** A list field contains an item equal to the value; any other field contains it as text, ignoring case. */
function contains(value: unknown, expected: unknown): boolean {
  if (Array.isArray(value)) return value.some((item) => looselyEqual(item, expected));
  return !isEmpty(value) && lower(value).includes(lower(expected));
}

/** Empty values have no order, so every comparison with one is false. */
function ordered(value: unknown, expected: unknown, accepts: (order: number) => boolean): boolean {
  const order = compareOrder(value, expected);
  return order !== undefined && accepts(order);
}

function lower(value: unknown): string {
  return textOf(value).toLowerCase();
}

function changed(field: string, current: object, previous: object | undefined): boolean {
  const value = readField(current, field);
  if (previous === undefined) return !isEmpty(value);
  return !looselyEqual(value, readField(previous, field));
}
