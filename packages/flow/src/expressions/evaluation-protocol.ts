import type { ExpressionErrorCode } from './expression-error.js';

/** One expression to evaluate against a run's data (`inputs`, `steps`, `vars`). */
export interface EvaluationRequest {
  expression: string;
  data: object;
}

/**
 * How an evaluation ended. A value travels as its JSON, which the sandbox has
 * already written to measure it; undefined is JSONata's "nothing".
 */
export type EvaluationReply =
  | { ok: true; json: string | undefined }
  | {
      ok: false;
      /** What went wrong, phrased to follow the quoted expression. */
      problem: string;
      code: ExpressionErrorCode;
    };

/** An evaluation process says it is ready once its modules are loaded, so loading is not counted against a first evaluation's time. */
export type ProcessMessage = { kind: 'ready' } | { kind: 'reply'; reply: EvaluationReply };
