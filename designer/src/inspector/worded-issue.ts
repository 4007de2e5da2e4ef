import type { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

/** What a designer calls each kind of value. */
const valueNames: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a set of fields',
  record: 'a set of fields',
  null: 'empty (null)',
};

const nameOf = (kind: string) => valueNames[kind] ?? kind;

function kindOfInput(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  return typeof input;
}

const formats: Record<string, string> = {
  url: 'must be a web address, starting with http:// or https://',
  email: 'must be an email address, like name@example.com',
  uuid: 'must be a UUID',
  datetime: 'must be a date and time, like 2025-01-31T09:30:00Z',
  date: 'must be a date, like 2025-01-31',
  regex: 'is not in the form this setting takes',
};

const quoted = (values: readonly unknown[]) => values.map((value) => JSON.stringify(value)).join(', ');

function countOf(count: number | bigint, one: string, many: string): string {
  return `${count} ${Number(count) === 1 ? one : many}`;
}

function tooSmall(issue: Extract<Issue, { code: 'too_small' }>): string {
  const { origin, minimum } = issue;
  if (origin === 'string') return Number(minimum) <= 1 ? 'must not be empty' : `must be at least ${countOf(minimum, 'character', 'characters')} long`;
  if (origin === 'array') return Number(minimum) <= 1 ? 'needs at least one item' : `needs at least ${countOf(minimum, 'item', 'items')}`;
  return issue.inclusive === false ? `must be more than ${minimum}` : `must be ${minimum} or more`;
}

function tooBig(issue: Extract<Issue, { code: 'too_big' }>): string {
  const { origin, maximum } = issue;
  if (origin === 'string') return `must be at most ${countOf(maximum, 'character', 'characters')} long`;
  if (origin === 'array') return `takes at most ${countOf(maximum, 'item', 'items')}`;
  return issue.inclusive === false ? `must be less than ${maximum}` : `must be ${maximum} or less`;
}

/**
 * A zod issue in the designer's words ("must not be empty", "should be a
 * number, not text") rather than zod's own ("Too small: expected string to
 * have >=1 characters"). Messages a schema wrote itself are kept as they are.
 */
export function wordedIssue(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `should be ${nameOf(issue.expected)}, not ${nameOf(kindOfInput(issue.input))}`;
    case 'too_small':
      return tooSmall(issue);
    case 'too_big':
      return tooBig(issue);
    case 'invalid_format':
      return formats[issue.format] ?? `must be in ${issue.format} form`;
    case 'invalid_value':
      return `must be one of ${quoted(issue.values)}`;
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'a field' : 'fields'} it does not take: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      if (issue.discriminator === undefined) return 'does not fit any of the forms this setting takes';
      return `has a ${issue.discriminator} this setting does not know${Array.isArray(issue.options) ? `; use one of ${quoted(issue.options)}` : ''}`;
    case 'invalid_key':
      return `has a field name that is not allowed: ${issue.issues.map((inner) => inner.message).join('; ')}`;
    default:
      return undefined;
  }
}
