/**
 * Tells an operator condition (`{ $gt: 1 }`) from a value to compare with.
 * Dates, regular expressions and arrays are values; so is a plain object
 * whose keys are field names.
 */
export function isOperatorCondition(condition: unknown): condition is Record<string, unknown> {
  if (!isPlainObject(condition)) return false;
  const keys = Object.keys(condition);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
