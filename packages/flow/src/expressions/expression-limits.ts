/**
 * What one evaluation of a data pill's expression may take. Expressions are
 * drawn by designers and fed by remote data, so each runs with these limits,
 * most in a separate process; one that hits a limit fails its step with
 * `expression_limit`.
 */
export interface ExpressionLimits {
  /**
   * How long one evaluation may run, in ms; then its process is stopped.
   * @default 1000
   */
  timeoutMs: number;
  /**
   * The largest result one evaluation may give, in bytes: a text's UTF-8, a
   * list's or an object's JSON.
   * @default 1000000
   */
  maxResultBytes: number;
}

export const DEFAULT_EXPRESSION_LIMITS: Readonly<ExpressionLimits> = { timeoutMs: 1000, maxResultBytes: 1_000_000 };

/**
 * JSONata's own guardrails, which stop a runaway expression with an error
 * before its process has to be stopped. The stack limit counts nested
 * evaluation steps, not calls: 500 lets a plain recursive function go about a
 * hundred calls deep, and tail calls do not count.
 */
export const jsonataGuardrails = { stackDepth: 500, sequenceLength: 100_000 } as const;

/**
 * Heap of one evaluation process. Not a setting: it only has to hold the run's
 * data and a result within the size limit, and it keeps what a hostile
 * expression can allocate well away from the server's own memory.
 */
export const EVALUATION_HEAP_MB = 128;
