import { unsupportedRegexes } from '../expressions/pill-regexes.js';
import { expressionSyntaxError, pillsIn } from '../expressions/pills.js';
import type { ValidationFinding } from './finding.js';
import type { SubflowIndex } from './graph.js';
import { formatPath, isPillValue, stringsIn } from './param-paths.js';

/**
 * Params must fit their node type's schema, except where a data pill stands in
 * for a value (a pill gives a number, a list or an object only at run time),
 * and every pill must be an expression that runs.
 */
export function checkParams(index: SubflowIndex): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  for (const node of index.graph.nodes) {
    const name = index.describe(node);
    const result = index.definitionOf(node)?.params.safeParse(node.params);
    for (const issue of result?.error?.issues ?? []) {
      if (isPillValue(node.params, issue.path)) continue;
      const path = formatPath(issue.path);
      findings.push({
        severity: 'error',
        code: 'invalid-param',
        nodeId: node.id,
        ...(path ? { path } : {}),
        message: `node ${name}: ${path ? `param ${path}` : 'params'}: ${issue.message}; correct the value or use a data pill`,
      });
    }
    for (const { path, text } of stringsIn(node.params)) {
      for (const expression of pillsIn(text)) findings.push(...pillFindings(node.id, name, formatPath(path), expression));
    }
  }
  return findings;
}

/**
 * A pill's expression must parse, and its regular expressions must be ones
 * RE2 runs: at run time they run on RE2 alone (see expressions/re2-regex).
 */
function pillFindings(nodeId: string, name: string, path: string, expression: string): ValidationFinding[] {
  const finding = (code: string, problem: string): ValidationFinding => ({
    severity: 'error',
    code,
    nodeId,
    path,
    message: `node ${name}: the data pill {{ ${expression} }} in ${path} ${problem}`,
  });
  const syntaxError = expressionSyntaxError(expression);
  if (syntaxError !== undefined) return [finding('invalid-pill', `does not parse: ${syntaxError}; correct the expression`)];
  return unsupportedRegexes(expression).map((problem) => finding('unsupported-regex', problem));
}
