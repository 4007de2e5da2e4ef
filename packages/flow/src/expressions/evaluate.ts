import { ExpressionError } from './expression-error.js';
import { sharedExpressionEvaluator, type ExpressionEvaluator } from './expression-evaluator.js';
import { childPath, isPlainObject } from './param-tree.js';
import { hasPills, soloPill, splitAtPills } from './pills.js';
import { NotAPlainValue, plainValue } from './plain-value.js';

export { ExpressionError, type ExpressionErrorCode } from './expression-error.js';
export { DEFAULT_EXPRESSION_LIMITS, type ExpressionLimits } from './expression-limits.js';
export { ExpressionEvaluator } from './expression-evaluator.js';

/**
 * A copy of `value` with every data pill evaluated against `data`, whose
 * top-level keys (`inputs`, `steps`, `vars`) are the expressions' root fields.
 * A string that is one pill becomes the pill's value, typed; other strings
 * with pills become text. Plain paths are read here; every other expression
 * goes to `evaluator`. Throws an ExpressionError naming the pill's path.
 */
export async function resolvePills(value: unknown, data: object, evaluator: ExpressionEvaluator = sharedExpressionEvaluator()): Promise<unknown> {
  return resolveAt(value, '', data, evaluator);
}

async function resolveAt(value: unknown, path: string, data: object, evaluator: ExpressionEvaluator): Promise<unknown> {
  if (hasPills(value)) return resolveText(value, path, data, evaluator);
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const [index, item] of value.entries()) items.push(await resolveAt(item, childPath(path, index), data, evaluator));
    return items;
  }
  if (isPlainObject(value)) {
    const entries: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) entries.push([key, await resolveAt(item, childPath(path, key), data, evaluator)]);
    // fromEntries, unlike assignment, keeps a `__proto__` key as data.
    return Object.fromEntries(entries);
  }
  return value;
}

async function resolveText(text: string, path: string, data: object, evaluator: ExpressionEvaluator): Promise<unknown> {
  const solo = soloPill(text);
  if (solo !== undefined) return evaluatePill(solo, path, data, evaluator);
  let spliced = '';
  for (const [index, part] of splitAtPills(text).entries()) {
    spliced += index % 2 === 0 ? part : asText(await evaluatePill(part, path, data, evaluator));
  }
  return spliced;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A plain path like `inputs.payload.number`: most pills are one, and reading it needs no JSONata. */
const plainPath = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;
/** Names JSONata reads as operators or literals, which a plain path must leave to JSONata. */
const jsonataWords = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/**
 * What JSONata would give for a plain path, or `unmatched` where only JSONata
 * can tell: a path through a list maps over its items.
 */
const unmatched = Symbol('unmatched');
function readPlainPath(expression: string, data: object): unknown {
  if (!plainPath.test(expression)) return unmatched;
  let current: unknown = data;
  for (const name of expression.split('.')) {
    if (jsonataWords.has(name) || Array.isArray(current)) return unmatched;
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, name)) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}

async function evaluatePill(expression: string, path: string, data: object, evaluator: ExpressionEvaluator): Promise<unknown> {
  if (expression === '') throw new ExpressionError(expression, path, 'is an empty data pill; write an expression between {{ and }}');
  const direct = readPlainPath(expression, data);
  if (direct !== unmatched) return toPlain(direct, expression, path);
  const reply = await evaluator.evaluate(expression, data);
  if (!reply.ok) throw new ExpressionError(expression, path, reply.problem, reply.code);
  return reply.value;
}

/** A plain path's value, copied so params never alias the run data. */
function toPlain(result: unknown, expression: string, path: string): unknown {
  try {
    return plainValue(result);
  } catch (error) {
    if (error instanceof NotAPlainValue) throw new ExpressionError(expression, path, error.message);
    throw error;
  }
}
