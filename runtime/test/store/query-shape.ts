import type { Filter, Sort, StoreOperation } from '@lockstep/store';

/**
 * An operation with its values left out: the collection, the fields and
 * operators it filters on, its sort and whether it has a limit. That is what
 * decides the index a query needs, and how QUERIES.md lists it, e.g.
 * `find sync_outbound_queue {status, remote_system: $in} sort created_at limit`.
 */
export function operationShape({ kind, collection, filter, sort, limit }: StoreOperation): string {
  const parts = [kind, collection];
  if (filter !== undefined) parts.push(filterShape(filter));
  if (sort !== undefined) parts.push(`sort ${sortShape(sort)}`);
  if (limit !== undefined && limit > 0) parts.push(limit === 1 ? 'one' : 'limit');
  return parts.join(' ');
}

export function filterShape(filter: Filter): string {
  const clauses = Object.entries(filter)
    .filter(([, condition]) => condition !== undefined)
    .map(([path, condition]) => {
      if (path === '$and' || path === '$or' || path === '$nor') return `${path}: [${(condition as Filter[]).map(filterShape).join(', ')}]`;
      return conditionShape(path, condition);
    });
  return `{${clauses.join(', ')}}`;
}

/** Equality is the bare field (`: null` when it is to null, which FerretDB v1 cannot push down); operators are named. */
function conditionShape(path: string, condition: unknown): string {
  if (condition === null) return `${path}: null`;
  if (condition instanceof RegExp) return `${path}: $regex`;
  if (typeof condition === 'object' && !Array.isArray(condition) && !(condition instanceof Date) && Object.keys(condition).every((key) => key.startsWith('$'))) {
    return `${path}: ${Object.keys(condition).join(' ')}`;
  }
  return path;
}

function sortShape(sort: Sort): string {
  return Object.entries(sort)
    .map(([field, direction]) => (direction === -1 ? `-${field}` : field))
    .join(', ');
}
