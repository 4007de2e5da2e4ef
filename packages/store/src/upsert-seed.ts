import { isPlainObject } from './condition.js';
import type { Filter } from './port.js';

/**
 * The document an upsert starts from: its filter (plain equalities, see
 * checkUpsertFilter) with dotted paths expanded into nested objects, as
 * MongoDB builds it. NeDB would instead drop dotted paths.
 */
export function upsertSeed(filter: Filter): Record<string, unknown> {
  const seed: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(filter)) setPath(seed, path.split('.'), value);
  return seed;
}

function setPath(target: Record<string, unknown>, [head, ...rest]: string[], value: unknown): void {
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = target[head];
  const nested = isPlainObject(child) ? child : {};
  target[head] = nested;
  setPath(nested, rest, value);
}
