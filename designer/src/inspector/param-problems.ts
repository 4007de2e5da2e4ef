import { hasPills, type AnyNodeDefinition } from '@lockstep/flow/catalog';
import { wordedIssue } from './worded-issue';

/** Where a param's value breaks its node type's schema, and why, in words. */
export interface ParamProblem {
  /** From the param's name down, as the engine's findings write it: `channels.0.url`. */
  path: string;
  message: string;
}

/** Whether the value at `path` is, or lies inside, a data pill: its type is only known when the flow runs. */
function fromPill(value: unknown, path: readonly PropertyKey[]): boolean {
  if (hasPills(value)) return true;
  const [first, ...rest] = path;
  if (first === undefined || value === null || typeof value !== 'object') return false;
  return fromPill((value as Record<PropertyKey, unknown>)[first], rest);
}

/** The schema check of one param, with the node's other params as they are, the way the engine checks it before publishing. */
export function paramProblems(definition: AnyNodeDefinition, params: Record<string, unknown>, key: string): ParamProblem[] {
  const issues = definition.params.safeParse(params, { error: wordedIssue }).error?.issues ?? [];
  return issues.filter((issue) => issue.path[0] === key && !fromPill(params, issue.path)).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
