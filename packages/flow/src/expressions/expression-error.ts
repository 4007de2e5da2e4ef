/**
 * The step error code of a failed expression: `expression_limit` when it hit
 * one of its limits (time, memory, result size, depth, sequence length), which
 * says the data or the expression is too big rather than wrong.
 */
export type ExpressionErrorCode = 'expression' | 'expression_limit';

/** An expression that cannot be evaluated, with a message that tells the designer what to fix. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';

  /**
   * @param expression the pill's expression, as written
   * @param path where the pill sits in the node's params, e.g. `values.short_description`; '' for a bare value
   * @param problem what went wrong, phrased to follow the quoted expression
   */
  constructor(
    readonly expression: string,
    readonly path: string,
    problem: string,
    readonly code: ExpressionErrorCode = 'expression',
  ) {
    super(`${path === '' ? '' : `in ${path}, `}${JSON.stringify(expression)} ${problem}`);
  }
}

/**
 * JSONata's own message for a failure, with the character it points at. JSONata
 * throws plain objects, not Errors, so the fields are read defensively.
 */
export function jsonataMessage(error: unknown): string {
  if (error === null || typeof error !== 'object') return String(error);
  const { message, position } = error as { message?: unknown; position?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  return typeof position === 'number' ? `${text} (at character ${position})` : text;
}

/** JSONata's error code (`S0201`, `D1012`, …) and the token it failed at, when the failure came from JSONata. */
export function jsonataDetails(error: unknown): { code?: string; token?: string } {
  if (error === null || typeof error !== 'object') return {};
  const { code, token } = error as { code?: unknown; token?: unknown };
  return {
    ...(typeof code === 'string' && { code }),
    ...(typeof token === 'string' && { token }),
  };
}
