import { isOperatorCondition } from './condition.js';
import { liftedFilter } from './lifted-filter.js';
import type { Filter } from './port.js';

/**
 * A port filter as the mongodb adapter sends it: its `$and`s lifted
 * (liftedFilter) and, on FerretDB v1, a look-up by `_id` by it alone
 * (byIdAlone), but for an upsert's, since the document an upsert inserts
 * takes the filter's equalities.
 */
export function sentFilter(filter: Filter, onFerretDb: boolean, upsert = false): Filter {
  const lifted = liftedFilter(filter);
  return onFerretDb && !upsert ? byIdAlone(lifted) : lifted;
}

/**
 * The filter as sent to FerretDB v1: beside an `_id`, the other top-level
 * equalities go as one-value `$in`s (and a `$ne` as a `$nin`), which match
 * the same documents. FerretDB pushes each equality down to PostgreSQL as
 * a containment of its own, and PostgreSQL, planning a claim's `_id`
 * together with `status: 'processing'`, also read that status's index
 * entries, thousands on a busy queue; it pushes no `$in`, and checks those
 * on the one document the `_id` finds. Measured on a 4,000-item queue, a
 * findAndModify cost FerretDB and PostgreSQL 1.7 to 2.6 ms of CPU by `_id`
 * and status, 1.1 ms by `_id` alone. A filter without a plain `_id` goes
 * as it is: there the other equalities are what finds its documents.
 */
export function byIdAlone(filter: Filter): Filter {
  if (typeof filter._id !== 'string') return filter;
  const sent: Record<string, unknown> = {};
  for (const [path, condition] of Object.entries(filter)) {
    sent[path] = path === '_id' || path.startsWith('$') ? condition : unpushed(condition);
  }
  return sent as Filter;
}

/** A condition FerretDB does not push down that matches what `condition` matches. */
function unpushed(condition: unknown): unknown {
  if (isValue(condition)) return { $in: [condition] };
  if (!isOperatorCondition(condition)) return condition;
  const { $eq, $ne, ...others } = condition;
  // Another bound beside them ($in, $nin) would clash with the ones made here, and in a list a pattern matches
  // as a pattern, where $eq compares with it as a value: left as it is.
  if ('$in' in others || '$nin' in others || $eq instanceof RegExp || $ne instanceof RegExp) return condition;
  return { ...others, ...($eq !== undefined && { $in: [$eq] }), ...($ne !== undefined && { $nin: [$ne] }) };
}

/** A value an equality compares with as it is (FerretDB pushes those down): not an array, a pattern or a document. */
function isValue(condition: unknown): boolean {
  return condition === null || condition instanceof Date || (typeof condition !== 'object' && typeof condition !== 'function');
}
