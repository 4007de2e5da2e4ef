import type { ValidationFinding } from '@lockstep/flow';
import { ProblemError, type ProblemFinding } from '../http/problem.js';

/**
 * Where in the graph a finding points, for the designer to highlight: the
 * edge to change (`edges.<id>`), else the node and param
 * (`nodes.<id>.params.<path>`), else the subflow as a whole.
 */
function findingPath(finding: ValidationFinding): string {
  if (finding.edgeId !== undefined) return `edges.${finding.edgeId}`;
  if (finding.nodeId !== undefined) return `nodes.${finding.nodeId}${finding.path === undefined ? '' : `.params.${finding.path}`}`;
  return '(subflow)';
}

/** 422: the draft is well formed but would not run as drawn; `refused` says what was not done. */
export function unpublishable(
  subflowName: string,
  findings: readonly ValidationFinding[],
  refused = 'so it was not published; fix them and publish again',
): ProblemError {
  const errors: ProblemFinding[] = findings
    .filter((finding) => finding.severity === 'error')
    .map((finding) => ({ path: findingPath(finding), message: finding.message }));
  return new ProblemError(
    422,
    'invalid-subflow',
    'Unprocessable content',
    `subflow "${subflowName}" has ${errors.length} error${errors.length === 1 ? '' : 's'} (see errors), ${refused}`,
    errors,
  );
}
