/**
 * Value comparison as the original product's condition builder does it: field
 * values arrive as text from forms and APIs, so `'2'` must equal `2` and
 * `'true'` must equal `true`, while two texts compare exactly.
 */

/** Undefined, null, '' and [] are all "no value", and equal one another. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

const decimal = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/** The number a value stands for: a finite number, or text that is a decimal number. */
export function numberIn(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && decimal.test(value)) return Number(value);
  return undefined;
}

function booleanIn(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  return undefined;
}

export function looselyEqual(left: unknown, right: unknown): boolean {
  if (isEmpty(left) || isEmpty(right)) return isEmpty(left) && isEmpty(right);
  if (typeof left === 'boolean' || typeof right === 'boolean') {
    const [a, b] = [booleanIn(left), booleanIn(right)];
    return a !== undefined && a === b;
  }
  if (typeof left === 'number' || typeof right === 'number') {
    const [a, b] = [numberIn(left), numberIn(right)];
    return a !== undefined && a === b;
  }
  if (typeof left === 'object' || typeof right === 'object') return JSON.stringify(left) === JSON.stringify(right);
  return left === right;
}

/** A rule value for in/not_in: a list, or text of comma-separated items. */
export function listIn(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return isEmpty(value) ? [] : [value];
}

/** The text a value reads as, for the text operators. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Orders two values: numerically when both are numbers, else as text (which
 * also orders ISO dates). Undefined when either is empty: an empty field is
 * neither greater nor less than anything.
 */
export function compareOrder(left: unknown, right: unknown): number | undefined {
  if (isEmpty(left) || isEmpty(right)) return undefined;
  const [a, b] = [numberIn(left), numberIn(right)];
  if (a !== undefined && b !== undefined) return Math.sign(a - b);
  const [x, y] = [textOf(left), textOf(right)];
  return x < y ? -1 : x > y ? 1 : 0;
}
