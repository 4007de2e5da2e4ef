import { isBoundedExpression } from './bounded-expression.js';
import { DEFAULT_EXPRESSION_LIMITS, type ExpressionLimits } from './expression-limits.js';
import { Sandbox } from './sandbox.js';
import { ProcessPool } from './process-pool.js';
import type { EvaluationReply } from './evaluation-protocol.js';

/**
 * Evaluates data pills' expressions within the instance's limits: in a pool
 * of processes, where one that runs too long or too big is stopped without
 * stalling the server; or, for the bounded arithmetic and comparisons most
 * pills that are not plain paths are, in the same sandbox on the event loop,
 * where a round trip to a process would cost several times the evaluation.
 */
export class ExpressionEvaluator {
  private readonly limits: ExpressionLimits;
  private readonly pool: ProcessPool;
  private local: Promise<Sandbox> | undefined;
  /** The local sandbox once made: awaiting it on every bounded evaluation would cost a tick each. */
  private sandbox: Sandbox | undefined;

  /** @param poolSize evaluation processes at most; the default suits the machine */
  constructor(limits: Partial<ExpressionLimits> = {}, poolSize?: number) {
    this.limits = { ...DEFAULT_EXPRESSION_LIMITS, ...limits };
    this.pool = new ProcessPool(this.limits, poolSize);
  }

  async evaluate(expression: string, data: object): Promise<EvaluationReply> {
    if (!isBoundedExpression(expression)) return this.pool.evaluate(expression, data);
    this.sandbox ??= await (this.local ??= Sandbox.create(this.limits));
    return this.sandbox.evaluate(expression, data);
  }

  /** Stops the evaluation processes; what is in flight ends as not evaluated. */
  close(): Promise<void> {
    return this.pool.close();
  }
}

let shared: ExpressionEvaluator | undefined;

/** The evaluator of runners given none (benches, tests): default limits, and no process until an expression needs one. */
export function sharedExpressionEvaluator(): ExpressionEvaluator {
  shared ??= new ExpressionEvaluator();
  return shared;
}
