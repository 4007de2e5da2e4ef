import jsonata from 'jsonata';
import { jsonataMessage } from './expression-error.js';
import { childPath, isPlainObject } from './param-tree.js';

/**
 * Data pills are `{{ expression }}` inside a param's text; the expression is
 * JSONata. A string that is exactly one pill evaluates to the pill's value
 * with its type; any other string with pills is text with the values spliced in.
 */
const pillPattern = /\{\{([\s\S]*?)\}\}/g;

/** The expressions of every pill in a text, trimmed, in order. */
export function pillsIn(text: string): string[] {
  return [...text.matchAll(pillPattern)].map((match) => (match[1] ?? '').trim());
}

export function hasPills(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{') && pillsIn(value).length > 0;
}

/**
 * A text cut at its pills: literal text at even indexes, the pills' trimmed
 * expressions at odd ones, so `a {{ x }} b` gives `['a ', 'x', ' b']`.
 */
export function splitAtPills(text: string): string[] {
  return text.split(pillPattern).map((part, index) => (index % 2 === 1 ? part.trim() : part));
}

/** The expression of a text that is exactly one pill (surrounding whitespace aside), else undefined. */
export function soloPill(text: string): string | undefined {
  const parts = splitAtPills(text);
  const [before, expression, after] = parts;
  if (parts.length !== 3 || before?.trim() !== '' || after?.trim() !== '') return undefined;
  return expression;
}

export interface PillLocation {
  /** Where the pill sits in the params, e.g. `values.short_description`. */
  path: string;
  expression: string;
}

/** Every pill in a params tree, in document order, with where it sits. */
export function findPills(params: unknown): PillLocation[] {
  return pillsUnder(params, '');
}

function pillsUnder(value: unknown, path: string): PillLocation[] {
  if (hasPills(value)) return pillsIn(value).map((expression) => ({ path, expression }));
  if (Array.isArray(value)) return value.flatMap((item, index) => pillsUnder(item, childPath(path, index)));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([key, item]) => pillsUnder(item, childPath(path, key)));
  return [];
}

/** Why an expression does not parse, or undefined when it does. */
export function expressionSyntaxError(expression: string): string | undefined {
  if (expression === '') return 'the data pill is empty';
  try {
    jsonata(expression);
    return undefined;
  } catch (error) {
    return jsonataMessage(error);
  }
}
