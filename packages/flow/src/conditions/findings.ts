import { isConditionGroup, valuelessOperators, type ConditionGroup, type ConditionRule } from '@lockstep/schema';
import { listIn } from './compare.js';
import { isFieldPath } from './field-path.js';

/**
 * What a designer must fix before the condition can be evaluated as meant,
 * one message per problem, each naming the rule by its position: rule 2.1 is
 * the first rule inside the second entry. `where` names the condition in the
 * messages, e.g. `condition` or `capture filter`.
 */
export function conditionFindings(group: ConditionGroup, where: string): string[] {
  return findingsIn(group, `${where} rule `, '');
}

function findingsIn(group: ConditionGroup, label: string, prefix: string): string[] {
  return group.conditions.flatMap((node, index) => {
    const position = `${prefix}${index + 1}`;
    if (isConditionGroup(node)) return findingsIn(node, label, `${position}.`);
    return ruleFindings(node).map((problem) => `${label}${position}: ${problem}`);
  });
}

function ruleFindings(rule: ConditionRule): string[] {
  const problems: string[] = [];
  const field = JSON.stringify(rule.field);
  if (!isFieldPath(rule.field)) {
    problems.push(`${field} is not a field path; write names joined by dots, like inputs.payload.state`);
  }
  // A value given to a valueless operator is ignored, so it is no problem.
  if (valuelessOperators.includes(rule.operator)) return problems;
  if (hasNoValue(rule.value)) {
    problems.push(`${field} needs a value to compare with`);
  } else if ((rule.operator === 'in' || rule.operator === 'not_in') && listIn(rule.value).length === 0) {
    problems.push(`${field} is compared with an empty list; list at least one value`);
  }
  return problems;
}

function hasNoValue(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
