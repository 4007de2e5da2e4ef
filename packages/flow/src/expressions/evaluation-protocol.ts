import type { ExpressionErrorCode } from './expression-error.js';

/** One expression to evaluate against a run's data (`inputs`, `steps`, `vars`). */
export interface EvaluationRequest {
  expression: string;
  data: object;
}

/**
 * How an evaluation ended: a plain value, a copy that shares nothing with the
 * run data (undefined is JSONata's "nothing"), or why there is none.
 */
export type EvaluationReply =
  | { ok: true; value: unknown }
  | {
      ok: false;
      /** What went wrong, phrased to follow the quoted expression. */
      problem: string;
      code: ExpressionErrorCode;
    };

/** An evaluation process says it is ready once its modules are loaded, so loading is not counted against a first evaluation's time. */
export type ProcessMessage = { kind: 'ready' } | { kind: 'reply'; reply: EvaluationReply };
