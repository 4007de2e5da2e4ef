import jsonata from 'jsonata';
import { re2Pattern, UnsupportedRegex } from './re2-regex.js';

/**
 * Why regular expressions in an expression cannot run on RE2, each phrased
 * to follow the quoted expression; none when all can. An expression that
 * does not parse has none here: its syntax error is reported instead.
 */
export function unsupportedRegexes(expression: string): string[] {
  let ast: jsonata.ExprNode;
  try {
    ast = jsonata(expression).ast();
  } catch {
    return [];
  }
  const problems: string[] = [];
  for (const regex of regexLiterals(ast, new Set())) {
    try {
      re2Pattern(regex);
    } catch (error) {
      if (!(error instanceof UnsupportedRegex)) throw error;
      problems.push(error.message);
    }
  }
  return problems;
}

/** JSONata's parser makes each regex literal a RegExp, wherever it sits in the tree. */
function regexLiterals(node: unknown, seen: Set<object>): RegExp[] {
  if (node instanceof RegExp) return [node];
  if (node === null || typeof node !== 'object' || seen.has(node)) return [];
  seen.add(node);
  return Object.values(node).flatMap((child: unknown) => regexLiterals(child, seen));
}
