/**
 * JSONata hands back values that are not plain JSON: arrays flagged as
 * sequences, functions, references into the data it read. Params must be
 * plain values the node can keep, log and persist, and must not alias the run
 * data, so results are rebuilt here.
 */

/** A result that has no plain value; the message completes `"expression" …`. */
export class NotAPlainValue extends Error {
  override readonly name = 'NotAPlainValue';
}

/**
 * A fresh JSON-able copy: sequences become arrays, Dates their ISO text, and
 * undefined inside objects and arrays goes as JSON.stringify would drop it.
 */
export function plainValue(value: unknown): unknown {
  if (typeof value === 'function' || isJsonataFunction(value)) {
    throw new NotAPlainValue('evaluates to a function, not a value; call it, e.g. $uppercase(inputs.name)');
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new NotAPlainValue(`evaluates to ${value}, which is not a finite number`);
  }
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item: unknown) => (item === undefined ? null : plainValue(item)));
  // fromEntries, unlike assignment, keeps a `__proto__` key as data.
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => [key, plainValue(item)]),
  );
}

/** JSONata's lambdas and wrapped built-ins are objects that carry a marker. */
function isJsonataFunction(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const marked = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return marked._jsonata_lambda === true || marked._jsonata_function === true;
}
