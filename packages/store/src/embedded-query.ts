import { isOperatorCondition } from './condition.js';
import type { Filter } from './port.js';

/** A query in NeDB's dialect. */
export type NedbQuery = Record<string, unknown>;

/**
 * Rewrites a port filter (already checked) so NeDB answers it as MongoDB
 * would. NeDB differs on null and on arrays:
 * - `{ a: null }` matches a stored null only, where MongoDB also matches a
 *   missing field;
 * - `$ne`/`$nin` on an array field match when *some* element differs, where
 *   MongoDB requires that *no* element equals; so both become the negation of
 *   the positive condition;
 * - `$in` compares listed arrays element by element and never lists null as
 *   missing, so lists holding arrays or null become one equality per value.
 * Range operators, `$exists` and `$regex` already agree and pass through.
 */
export function toNedbQuery(filter: Filter): NedbQuery {
  return allOf(conjunction(filter));
}

/**
 * The filter as clauses that must all hold. An `$and` is spliced in rather
 * than nested, so that its plain field clauses can reach the top level, the
 * only place NeDB looks for an index to use: `{$and: [{_id: x}, …]}` would
 * otherwise scan the whole collection.
 */
function conjunction(filter: Filter): NedbQuery[] {
  const clauses: NedbQuery[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    // The MongoDB adapter drops undefined values (ignoreUndefined), so an undefined condition matches everything there.
    if (condition === undefined) continue;
    if (key === '$and') clauses.push(...(condition as Filter[]).flatMap(conjunction));
    else if (key === '$or') clauses.push({ $or: (condition as Filter[]).map(toNedbQuery) });
    // NeDB has no $nor, but a top-level $not of an $or says the same.
    else if (key === '$nor') clauses.push({ $not: { $or: (condition as Filter[]).map(toNedbQuery) } });
    else clauses.push(...fieldClauses(key, condition));
  }
  return clauses;
}

function fieldClauses(path: string, condition: unknown): NedbQuery[] {
  if (!isOperatorCondition(condition)) return [equals(path, condition)];
  const passThrough: Record<string, unknown> = {};
  const clauses: NedbQuery[] = [];
  for (const [operator, operand] of Object.entries(condition)) {
    if (operator === '$eq') clauses.push(equals(path, operand));
    else if (operator === '$ne') clauses.push({ $not: equals(path, operand) });
    else if (operator === '$in') clauses.push(oneOf(path, operand as unknown[]));
    else if (operator === '$nin') clauses.push({ $not: oneOf(path, operand as unknown[]) });
    else passThrough[operator] = operand;
  }
  if (Object.keys(passThrough).length > 0) clauses.unshift({ [path]: passThrough });
  return clauses;
}

function equals(path: string, value: unknown): NedbQuery {
  if (value === null) return { $or: [{ [path]: null }, { [path]: { $exists: false } }] };
  return { [path]: value };
}

function oneOf(path: string, values: unknown[]): NedbQuery {
  if (values.every(isScalar)) return { [path]: { $in: values } };
  return { $or: values.map((value) => equals(path, value)) };
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date;
}

/**
 * Keeps plain field clauses at the top level, where NeDB can answer them from
 * an index; only clashing or logical clauses go into `$and`. NeDB uses the
 * last indexed field it finds there, so `_id`, which names one document,
 * goes last.
 */
function allOf(clauses: NedbQuery[]): NedbQuery {
  const query: NedbQuery = {};
  const rest: NedbQuery[] = [];
  for (const clause of clauses) {
    const [key] = Object.keys(clause);
    if (key !== undefined && !key.startsWith('$') && !(key in query)) Object.assign(query, clause);
    else rest.push(clause);
  }
  if ('_id' in query) {
    const { _id: id, ...others } = query;
    return rest.length > 0 ? { ...others, $and: rest, _id: id } : { ...others, _id: id };
  }
  if (rest.length > 0) query.$and = rest;
  return query;
}
