import jsonata from 'jsonata';
import { LRUCache } from 'lru-cache';

/**
 * Which expressions may run on the event loop rather than in an evaluation
 * process: those made only of paths of plain names, literals, arithmetic,
 * comparisons, `and`, `or`, conditionals and parentheses, like
 * `vars.total + steps.loop.item`.
 * Such an expression calls no function, matches no regex, binds no variable,
 * loops over nothing and builds no text, so its work is bounded by its own
 * size times the data it reads, as a plain path's is; and a round trip to a
 * process would cost several times the evaluation. Anything else goes to one.
 */

/** The kinds of node allowed, with the keys that hold their children and, for operators, which ones. */
const allowedNodes: Record<string, { children: readonly string[]; operators?: ReadonlySet<string> }> = {
  number: { children: [] },
  string: { children: [] },
  value: { children: [] },
  name: { children: [] },
  path: { children: ['steps'] },
  block: { children: ['expressions'] },
  condition: { children: ['condition', 'then', 'else'] },
  unary: { children: ['expression'], operators: new Set(['-']) },
  binary: { children: ['lhs', 'rhs'], operators: new Set(['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'and', 'or']) },
};
/** Keys of any node that hold no child. Any key not named here or above (a filter, a sort, a focus binding) rules the expression out. */
const leafKeys = new Set(['type', 'value', 'position']);

const verdicts = new LRUCache<string, boolean>({ max: 2000 });

/** True when `expression` parses and is made only of the nodes above. */
export function isBoundedExpression(expression: string): boolean {
  let verdict = verdicts.get(expression);
  if (verdict === undefined) {
    verdict = parsedBounded(expression);
    verdicts.set(expression, verdict);
  }
  return verdict;
}

function parsedBounded(expression: string): boolean {
  try {
    return isBoundedNode(jsonata(expression).ast());
  } catch {
    // Its evaluation process reports why it does not parse.
    return false;
  }
}

function isBoundedNode(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  const fields = node as Readonly<Record<string, unknown>>;
  const allowed = allowedNodes[String(fields.type)];
  if (allowed === undefined) return false;
  if (allowed.operators !== undefined && !allowed.operators.has(String(fields.value))) return false;
  return Object.entries(fields).every(([key, child]) => leafKeys.has(key) || (allowed.children.includes(key) && areBounded(key, child)));
}

function areBounded(key: string, child: unknown): boolean {
  const nodes: unknown[] = Array.isArray(child) ? child : [child];
  // A path's steps are plain names: a step of any other kind could map an expression over every item.
  return nodes.every((node) => (key !== 'steps' || (node as { type?: unknown }).type === 'name') && isBoundedNode(node));
}
