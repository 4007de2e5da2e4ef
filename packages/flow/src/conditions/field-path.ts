/**
 * A condition's field is a dot path into the data it is evaluated against:
 * `state`, `inputs.payload.priority`, `steps.lookup-1.record.number`. Segments
 * are names; `-` is allowed because node ids, the keys of `steps`, may hold it.
 */
const fieldPathPattern = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/;

export function isFieldPath(field: string): boolean {
  return fieldPathPattern.test(field);
}

/** The value at a field path, or undefined when any step is missing. Only own properties count, so `constructor` reads nothing. */
export function readField(data: object | undefined, field: string): unknown {
  let value: unknown = data;
  for (const segment of field.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
