/**
 * A node's params are a tree of plain objects, arrays and leaves. Paths name a
 * place in that tree the way a designer reads it: `values.short_description`,
 * `outputs.items[0]`, `values["u_x-ref"]`.
 */

const plainKey = /^[A-Za-z_$][\w$]*$/;

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (!plainKey.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Objects made by literals or JSON.parse; anything else (a Date, a class instance) is a leaf. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
