import { ExpressionError, jsonataDetails, jsonataMessage } from './expression-error.js';
import { compiledExpression, expressionLimits } from './expression-cache.js';
import { childPath, isPlainObject } from './param-tree.js';
import { hasPills, soloPill, splitAtPills } from './pills.js';
import { NotAPlainValue, plainValue } from './plain-value.js';

export { ExpressionError } from './expression-error.js';

export interface ResolveOptions {
  /**
   * How long one expression may run before it is stopped.
   * @default 1000
   */
  timeoutMs?: number;
}

/**
 * JSONata reaches no JS globals: names resolve only to the input's own
 * properties and JSONata's bindings. Of those bindings `$eval` is shadowed,
 * as it evaluates text made at run time, which escapes the parse cache and
 * every check made when the subflow was published.
 */
const sandboxBindings: Record<string, unknown> = { eval: undefined };

/**
 * A copy of `value` with every data pill evaluated against `data`, whose
 * top-level keys (`inputs`, `steps`, `vars`) are the expressions' root fields.
 * A string that is one pill becomes the pill's value, typed; other strings
 * with pills become text. Throws an ExpressionError naming the pill's path.
 */
export async function resolvePills(value: unknown, data: object, options: ResolveOptions = {}): Promise<unknown> {
  return resolveAt(value, '', data, options.timeoutMs ?? expressionLimits.defaultTimeoutMs);
}

async function resolveAt(value: unknown, path: string, data: object, timeoutMs: number): Promise<unknown> {
  if (hasPills(value)) return resolveText(value, path, data, timeoutMs);
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const [index, item] of value.entries()) items.push(await resolveAt(item, childPath(path, index), data, timeoutMs));
    return items;
  }
  if (isPlainObject(value)) {
    const entries: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) entries.push([key, await resolveAt(item, childPath(path, key), data, timeoutMs)]);
    // fromEntries, unlike assignment, keeps a `__proto__` key as data.
    return Object.fromEntries(entries);
  }
  return value;
}

async function resolveText(text: string, path: string, data: object, timeoutMs: number): Promise<unknown> {
  const solo = soloPill(text);
  if (solo !== undefined) return evaluatePill(solo, path, data, timeoutMs);
  let spliced = '';
  for (const [index, part] of splitAtPills(text).entries()) {
    spliced += index % 2 === 0 ? part : asText(await evaluatePill(part, path, data, timeoutMs));
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

async function evaluatePill(expression: string, path: string, data: object, timeoutMs: number): Promise<unknown> {
  if (expression === '') throw new ExpressionError(expression, path, 'is an empty data pill; write an expression between {{ and }}');
  const direct = readPlainPath(expression, data);
  if (direct !== unmatched) return toPlain(direct, expression, path);
  let compiled;
  try {
    compiled = compiledExpression(expression, timeoutMs);
  } catch (error) {
    throw new ExpressionError(expression, path, `does not parse: ${jsonataMessage(error)}`, { cause: error });
  }
  let result: unknown;
  try {
    // The jsonata boundary: its typings declare the result `any`.
    result = (await compiled.evaluate(data, sandboxBindings)) as unknown;
  } catch (error) {
    throw new ExpressionError(expression, path, evaluationProblem(error, timeoutMs), { cause: error });
  }
  return toPlain(result, expression, path);
}

function toPlain(result: unknown, expression: string, path: string): unknown {
  try {
    return plainValue(result);
  } catch (error) {
    if (error instanceof NotAPlainValue) throw new ExpressionError(expression, path, error.message);
    throw error;
  }
}

/** JSONata's guardrail errors and a misnamed function, reworded as what the designer should change. */
function evaluationProblem(error: unknown, timeoutMs: number): string {
  const { code, token } = jsonataDetails(error);
  switch (code) {
    case 'D1012':
      return `took longer than ${timeoutMs} ms; simplify it`;
    case 'D1011':
      return `nests or recurses deeper than ${expressionLimits.stackDepth} steps; simplify it, or make a recursive function tail-recursive`;
    case 'D2014':
    case 'D2015':
      return `builds a sequence of more than ${expressionLimits.sequenceLength} items; work on fewer items`;
    case 'T1006':
      // Also what `$eval` gives, since the sandbox unbinds it.
      if (token !== undefined) return `calls "${token}", which is not a function here; check the name against JSONata's functions, e.g. $string or $sum`;
      break;
  }
  return `failed: ${jsonataMessage(error)}`;
}
