import type { EvaluationReply } from './evaluation-protocol.js';

/**
 * The failures of an expression that hit a limit, worded to say which limit
 * and what to do. The limits are the instance's, so each names its setting.
 */
const limitHit = (problem: string): EvaluationReply => ({ ok: false, problem, code: 'expression_limit' });

export const limitProblems = {
  time: (timeoutMs: number) =>
    limitHit(`ran longer than the ${timeoutMs} ms an expression may take, and was stopped; simplify it or give it less data to work on (the limit is the instance setting LOCKSTEP_EXPRESSION_TIMEOUT_MS)`),
  resultSize: (maxBytes: number) =>
    limitHit(`gives a result larger than the ${maxBytes} bytes an expression may return; return less, e.g. only the fields the step needs (the limit is the instance setting LOCKSTEP_EXPRESSION_MAX_RESULT_BYTES)`),
  padWidth: (width: number, maxBytes: number) =>
    limitHit(`pads to ${width} characters, more than the ${maxBytes} bytes an expression may return; pad to a smaller width (the limit is the instance setting LOCKSTEP_EXPRESSION_MAX_RESULT_BYTES)`),
  memory: (heapMb: number) => limitHit(`needed more than the ${heapMb} MB of memory an expression may use, and was stopped; give it less data to work on`),
  stack: (depth: number) => limitHit(`nests or recurses deeper than ${depth} steps; simplify it, or make a recursive function tail-recursive`),
  sequence: (length: number) => limitHit(`builds a sequence of more than ${length} items; work on fewer items`),
};
