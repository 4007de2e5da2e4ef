import jsonata from 'jsonata';
import { LRUCache } from 'lru-cache';

/**
 * JSONata's guardrails, applied to every pill so a runaway expression stops
 * with an error instead of stalling the engine. The stack limit counts nested
 * evaluation steps, not calls: 500 lets a plain recursive function go about
 * a hundred calls deep, and tail calls do not count.
 */
export const expressionLimits = {
  defaultTimeoutMs: 1000,
  stackDepth: 500,
  sequenceLength: 100_000,
} as const;

/**
 * Parsing dominates a small pill's cost, and a subflow runs the same pills on
 * every execution, so parsed expressions are kept. A compiled expression holds
 * no run data: each evaluation gets its own frame, and nothing here assigns
 * into the shared one. The one shared thing is `$now()`'s clock, which JSONata
 * resets as each evaluation starts, so concurrent evaluations of one
 * expression may read a start time a moment apart from their own.
 */
const compiled = new LRUCache<string, jsonata.Expression>({ max: 2000 });

/** The parsed expression, from the cache when seen before; throws JSONata's parse error. */
export function compiledExpression(expression: string, timeoutMs: number): jsonata.Expression {
  // The limits are fixed when parsing, so an expression parsed for one timeout is a different entry from another.
  const key = `${timeoutMs}\u0000${expression}`;
  let entry = compiled.get(key);
  if (entry === undefined) {
    entry = jsonata(expression, {
      timeout: timeoutMs,
      stack: expressionLimits.stackDepth,
      sequence: expressionLimits.sequenceLength,
    });
    compiled.set(key, entry);
  }
  return entry;
}
