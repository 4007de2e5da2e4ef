import { z } from 'zod';

/**
 * The condition tree the designer's condition builder edits. The flow engine's
 * If node and capture definitions' filters both use it, so one builder and one
 * evaluator serve both.
 */

export const conditionOperators = [
  'is',
  'is_not',
  'in',
  'not_in',
  'contains',
  'does_not_contain',
  'starts_with',
  'ends_with',
  'greater_than',
  'greater_or_equal',
  'less_than',
  'less_or_equal',
  'is_empty',
  'is_not_empty',
  /** The value differs from the previous one (capture filters on updates). */
  'changes',
  'changes_to',
  'changes_from',
] as const;

export const conditionOperator = z.enum(conditionOperators);
export type ConditionOperator = z.infer<typeof conditionOperator>;

/** Operators that compare with no value. */
export const valuelessOperators: readonly ConditionOperator[] = ['is_empty', 'is_not_empty', 'changes'];

export const conditionRuleSchema = z.object({
  /** A dot path into the data the condition is evaluated against, e.g. `state` or `inputs.payload.priority`. */
  field: z.string().min(1).max(200),
  operator: conditionOperator,
  /** A literal, a list for in/not_in, or a `{{ expression }}`. */
  value: z.unknown().optional(),
});
export type ConditionRule = z.infer<typeof conditionRuleSchema>;

export interface ConditionGroup {
  match: 'all' | 'any';
  conditions: (ConditionRule | ConditionGroup)[];
}

export const conditionGroupSchema: z.ZodType<ConditionGroup> = z.lazy(() =>
  z.object({
    match: z.enum(['all', 'any']),
    conditions: z.array(z.union([conditionRuleSchema, conditionGroupSchema])),
  }),
);

export function isConditionGroup(node: ConditionRule | ConditionGroup): node is ConditionGroup {
  return 'match' in node;
}
