import type { FieldDefinition } from '@lockstep/schema';
import type { ResolvedTable } from '../dictionary/dictionary.js';
import { escapeRegExp, type Filter, type Sort } from '@lockstep/store';
import { coerceQueryValue, type QueryableField } from './field-values.js';

/**
 * Reads `sysparm_query`, the original's encoded query
 * (`active=true^priority=1^ORcategory=network^ORDERBYnumber`), into a store
 * filter and sort. Precedence is the original's: `^OR` binds a term to the one
 * before it, `^` ANDs those groups, and `^NQ` ORs whole queries together.
 */

export interface EncodedQueryFinding {
  /** The term as written, including any OR / NQ prefix. */
  term: string;
  message: string;
}

/** Every bad term of a query, so a client can fix them all in one round trip. */
export class EncodedQueryError extends Error {
  override readonly name = 'EncodedQueryError';
  constructor(readonly findings: EncodedQueryFinding[]) {
    super(`sysparm_query is invalid: ${findings.map(({ term, message }) => `${term || '(empty term)'}: ${message}`).join('; ')}`);
  }
}

const operators = [
  '=', '!=', 'IN', 'NOT IN', 'STARTSWITH', 'ENDSWITH', 'CONTAINS', 'LIKE', 'DOES NOT CONTAIN', 'NOT LIKE',
  'ISEMPTY', 'ISNOTEMPTY', '>', '<', '>=', '<=',
] as const;
type Operator = (typeof operators)[number];

const textOperators: ReadonlySet<Operator> = new Set(['STARTSWITH', 'ENDSWITH', 'CONTAINS', 'LIKE', 'DOES NOT CONTAIN', 'NOT LIKE']);
const orderOperators: ReadonlySet<Operator> = new Set(['>', '<', '>=', '<=']);

const compareDates = 'compare with >, <, >= and <=';
const compareFields = 'comparing one field with another is not supported; compare with a value';
/** Operators of the original that Lockstep does not offer, with what to write instead. */
const unsupported = new Map<string, string>([
  ['BETWEEN', 'use >= and <='],
  ['ON', compareDates],
  ['NOTON', compareDates],
  ['DATEPART', compareDates],
  ['RELATIVEGT', compareDates],
  ['RELATIVELT', compareDates],
  ['EMPTYSTRING', 'use ISEMPTY'],
  ['ANYTHING', 'leave the term out'],
  ['SAMEAS', compareFields],
  ['NSAMEAS', compareFields],
  ['GT_FIELD', compareFields],
  ['LT_FIELD', compareFields],
  ['INSTANCEOF', "query that table instead: a table's records include its children's"],
  ['DYNAMIC', 'pass the value itself'],
  ['VALCHANGES', 'it only applies to business rule conditions'],
  ['CHANGESFROM', 'it only applies to business rule conditions'],
  ['CHANGESTO', 'it only applies to business rule conditions'],
]);

/** Longest first, so `>=` is not read as `>` followed by a value, nor `INSTANCEOF` as `IN`. */
const operatorNames = [...operators, ...unsupported.keys()].sort((a, b) => b.length - a.length);

/** One term's problem; the parser collects them rather than stopping at the first. */
class TermProblem extends Error {}

export function parseEncodedQuery(query: string, table: ResolvedTable): { filter: Filter; sort: Sort } {
  const findings: EncodedQueryFinding[] = [];
  // Queries (split by ^NQ) hold AND-ed groups; a group holds a condition and the ^OR terms after it.
  const queries: Filter[][][] = [[]];
  const sort: Sort = {};
  const terms = query === '' ? [] : query.split('^');
  for (const [index, term] of terms.entries()) {
    try {
      if (term === '') throw new TermProblem(`term ${index + 1} is empty; remove the doubled or trailing "^"`);
      // The original's list URLs end queries with ^EQ, and users paste them; it adds nothing.
      if (term === 'EQ' && index === terms.length - 1) continue;
      const order = /^ORDERBY(DESC)?/.exec(term);
      if (order) {
        addSortKey(sort, term.slice(order[0].length), order[1] ? -1 : 1, table);
        continue;
      }
      const { group, condition } = placeTerm(term, queries);
      group.push(readCondition(condition, table));
    } catch (error) {
      if (!(error instanceof TermProblem)) throw error;
      findings.push({ term, message: error.message });
    }
  }
  if (findings.length > 0) throw new EncodedQueryError(findings);
  return { filter: anyOf(queries.map((groups) => allOf(groups.map(anyOf)))), sort };
}

/** Finds the group a term's condition joins, opening a new group (and for NQ a new query) as its prefix says. */
function placeTerm(term: string, queries: Filter[][][]): { group: Filter[]; condition: string } {
  const prefix = term.startsWith('OR') ? 'OR' : term.startsWith('NQ') ? 'NQ' : '';
  const condition = term.slice(prefix.length);
  if (prefix !== '' && condition === '') throw new TermProblem(`"${prefix}" must be followed by a condition, e.g. ${prefix}active=true`);
  let current = queries[queries.length - 1] ?? [];
  if (prefix === 'OR') {
    // A group is opened even for a condition that fails to read, so this only fires when nothing came before.
    const group = current[current.length - 1];
    if (!group) throw new TermProblem('"OR" joins a condition to the one before it, and there is none; remove "OR"');
    return { group, condition };
  }
  if (prefix === 'NQ') {
    if (current.length === 0) throw new TermProblem('"NQ" starts a query OR-ed with the conditions before it, and there are none; remove "NQ"');
    current = [];
    queries.push(current);
  }
  const group: Filter[] = [];
  current.push(group);
  return { group, condition };
}

function addSortKey(sort: Sort, name: string, direction: 1 | -1, table: ResolvedTable): void {
  if (name === '') throw new TermProblem('ORDERBY needs a field name, e.g. ORDERBYnumber or ORDERBYDESCsys_updated_on');
  const field = lookUpField(name, table);
  if (field.type === 'journal') throw new TermProblem(`journal field "${name}" cannot be sorted on`);
  if (Object.hasOwn(sort, name)) throw new TermProblem(`"${name}" is already in the sort order; keep one of its ORDERBY terms`);
  sort[name] = direction;
}

function readCondition(condition: string, table: ResolvedTable): Filter {
  // Field names are lower case, so the first character outside [a-z0-9_.] starts the operator.
  const name = /^[a-z0-9_.]*/.exec(condition)?.[0] ?? '';
  if (name === '') throw new TermProblem('a condition starts with a field name in lower case, e.g. active=true');
  const field = lookUpField(name, table);
  const rest = condition.slice(name.length);
  const operator = readOperator(rest, name);
  return conditionFilter(field, operator, rest.slice(operator.length));
}

function lookUpField(name: string, table: ResolvedTable): FieldDefinition {
  if (name.includes('.')) {
    throw new TermProblem(`dot-walking ("${name}") is not supported; query ${name.split('.')[0]} by sys_id instead`);
  }
  const field = table.fields.get(name);
  if (!field) throw new TermProblem(`unknown field "${name}" on table ${table.name}`);
  return field;
}

function readOperator(rest: string, field: string): Operator {
  if (rest === '') throw new TermProblem(`field "${field}" has no operator; write e.g. ${field}=value or ${field}ISNOTEMPTY`);
  const known = operatorNames.find((name) => rest.startsWith(name));
  if (known !== undefined && isOperator(known)) return known;
  const written = known ?? /^[A-Z_]+/.exec(rest)?.[0] ?? rest.charAt(0);
  const advice = unsupported.get(written) ?? `use one of ${operators.join(', ')}`;
  throw new TermProblem(`operator "${written}" is not supported; ${advice}`);
}

function isOperator(name: string): name is Operator {
  return (operators as readonly string[]).includes(name);
}

function conditionFilter(field: FieldDefinition, operator: Operator, value: string): Filter {
  const name = field.name;
  if (operator === 'ISEMPTY' || operator === 'ISNOTEMPTY') {
    if (value !== '') throw new TermProblem(`${operator} takes no value; remove "${value}"`);
    return operator === 'ISEMPTY' ? { $or: emptyAlternatives(field) } : { [name]: notEmpty(field) };
  }
  if (field.type === 'journal') throw new TermProblem(`journal field "${name}" can only be queried with ISEMPTY or ISNOTEMPTY`);
  if (value.startsWith('javascript:')) throw new TermProblem('scripted values ("javascript:...") are not supported; pass the value itself');
  // As in the original, `field=` asks for an empty field and `field!=` for a filled one.
  if (value === '' && operator === '=') return { $or: emptyAlternatives(field) };
  if (value === '' && operator === '!=') return { [name]: notEmpty(field) };
  if (value === '') throw new TermProblem(`${operator} needs a value after it`);
  checkOperatorApplies(field, operator);
  const pattern = escapeRegExp(value);
  switch (operator) {
    case '=':
      return { [name]: coerce(field, value) };
    case '!=':
      return { [name]: { $ne: coerce(field, value) } };
    case 'IN':
      return { [name]: { $in: value.split(',').map((item) => coerce(field, item)) } };
    case 'NOT IN':
      return { [name]: { $nin: value.split(',').map((item) => coerce(field, item)) } };
    case '>':
      return { [name]: { $gt: coerce(field, value) } };
    case '<':
      return { [name]: { $lt: coerce(field, value) } };
    case '>=':
      return { [name]: { $gte: coerce(field, value) } };
    case '<=':
      return { [name]: { $lte: coerce(field, value) } };
    case 'STARTSWITH':
      return { [name]: { $regex: new RegExp(`^${pattern}`, 'i') } };
    case 'ENDSWITH':
      // FerretDB's RE2 has no lookahead, so `$`; MongoDB's PCRE also lets it match before one final newline.
      return { [name]: { $regex: new RegExp(`${pattern}$`, 'i') } };
    case 'CONTAINS':
    case 'LIKE':
      return { [name]: { $regex: new RegExp(pattern, 'i') } };
    case 'DOES NOT CONTAIN':
    case 'NOT LIKE':
      // $nor also matches an empty or missing field: it contains nothing.
      return { $nor: [{ [name]: { $regex: new RegExp(pattern, 'i') } }] };
  }
}

function checkOperatorApplies(field: QueryableField, operator: Operator): void {
  if (field.type === 'boolean' && (textOperators.has(operator) || orderOperators.has(operator))) {
    throw new TermProblem(`operator "${operator}" does not apply to boolean field "${field.name}"; use = or !=`);
  }
  if (field.type === 'integer' && textOperators.has(operator)) {
    throw new TermProblem(`operator "${operator}" does not apply to integer field "${field.name}"; use =, IN, >, <, >= or <=`);
  }
}

function coerce(field: QueryableField, text: string): string | number | boolean {
  const coerced = coerceQueryValue(field, text);
  if (!coerced.ok) throw new TermProblem(coerced.message);
  return coerced.value;
}

/**
 * Missing, null or '' (and for a journal, no entries). Spelled out as
 * alternatives because NeDB's `$in: [null]` does not match a missing field
 * while MongoDB's does, and NeDB's `$in` never matches an empty array.
 */
function emptyAlternatives(field: FieldDefinition): Filter[] {
  const alternatives: Filter[] = [{ [field.name]: { $exists: false } }, { [field.name]: { $in: [null, ''] } }];
  return field.type === 'journal' ? [...alternatives, { [field.name]: [] }] : alternatives;
}

function notEmpty(field: FieldDefinition): Filter[string] {
  return { $exists: true, $nin: field.type === 'journal' ? [null, '', []] : [null, ''] };
}

/** ORs filters, lifting nested `$or` lists so `a^ORb^ORcISEMPTY` stays one flat list. */
function anyOf(filters: Filter[]): Filter {
  const alternatives = filters.flatMap((filter) => (isOnlyOr(filter) ? filter.$or : [filter]));
  const [only] = alternatives;
  return alternatives.length === 1 && only ? only : { $or: alternatives };
}

function isOnlyOr(filter: Filter): filter is Filter & { $or: Filter[] } {
  return Object.keys(filter).length === 1 && Array.isArray(filter.$or);
}

/**
 * ANDs filters into one object where their keys allow (two bounds on one field
 * share an operator object); only a real clash, like two `$or` groups, falls
 * back to `$and`.
 */
function allOf(filters: Filter[]): Filter {
  const merged: Filter = {};
  const clashing: Filter[] = [];
  for (const filter of filters) {
    if (Object.entries(filter).every(([key, condition]) => mergeable(merged[key], condition))) {
      for (const [key, condition] of Object.entries(filter)) merged[key] = combine(merged[key], condition);
    } else {
      clashing.push(filter);
    }
  }
  if (clashing.length > 0) merged.$and = clashing;
  return merged;
}

function mergeable(existing: unknown, condition: unknown): boolean {
  if (existing === undefined) return true;
  return isOperatorObject(existing) && isOperatorObject(condition) && Object.keys(condition).every((op) => !(op in existing));
}

function combine(existing: unknown, condition: unknown): Filter[string] {
  return isOperatorObject(existing) && isOperatorObject(condition) ? { ...existing, ...condition } : condition;
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof RegExp) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}
