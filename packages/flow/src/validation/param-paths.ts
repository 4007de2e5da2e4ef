import { hasPills } from '../expressions/pills.js';

export type ParamPath = readonly PropertyKey[];

/** `values.short_description`, `channels.0.url`: how findings name a place in a node's params. */
export function formatPath(path: ParamPath): string {
  return path.map(String).join('.');
}

/** Every string in a node's params, with where it is. */
export function* stringsIn(value: unknown, path: ParamPath = []): Generator<{ path: ParamPath; text: string }> {
  if (typeof value === 'string') yield { path, text: value };
  else if (Array.isArray(value)) for (const [index, item] of value.entries()) yield* stringsIn(item, [...path, index]);
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) yield* stringsIn(item, [...path, key]);
}

/** Whether the path leads to, or into, a string with data pills: such a value is only known at run time. */
export function isPillValue(params: unknown, path: ParamPath): boolean {
  let value = params;
  for (const key of path) {
    if (hasPills(value)) return true;
    value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return hasPills(value);
}
