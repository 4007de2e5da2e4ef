import type { Filter } from './port.js';

/**
 * The filter with the clauses of its `$and`s lifted to the top level, where
 * their fields do not clash: the same documents match. FerretDB v1 pushes a
 * filter down to its backend from top-level fields only, so that
 * `{$and: [{sys_class_name}, {_id}]}` (a look-up narrowed by its table or
 * domain) would read every document of the collection, where
 * `{sys_class_name, _id}` reads one. MongoDB plans both alike.
 */
export function liftedFilter(filter: Filter): Filter {
  if (filter.$and === undefined) return filter;
  const lifted: Filter = {};
  const clashing: Filter[] = [];
  const spread = (part: Filter): void => {
    for (const [path, condition] of Object.entries(part)) {
      // The driver leaves undefined conditions out (ignoreUndefined), so they match everything.
      if (condition === undefined) continue;
      if (path === '$and') for (const inner of condition as Filter[]) spread(inner);
      else if (path in lifted) clashing.push({ [path]: condition });
      else lifted[path] = condition;
    }
  };
  spread(filter);
  if (clashing.length > 0) lifted.$and = clashing;
  return lifted;
}
