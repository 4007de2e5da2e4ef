import jsonata from 'jsonata';

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

/** Why an expression does not parse, or undefined when it does. */
export function expressionSyntaxError(expression: string): string | undefined {
  if (expression === '') return 'the data pill is empty';
  try {
    jsonata(expression);
    return undefined;
  } catch (error) {
    const { message, position } = error as { message?: string; position?: number };
    return `${message ?? String(error)}${position === undefined ? '' : ` (at character ${position})`}`;
  }
}
