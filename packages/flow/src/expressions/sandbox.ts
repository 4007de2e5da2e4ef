import jsonata from 'jsonata';
import { LRUCache } from 'lru-cache';
import { jsonataDetails, jsonataMessage } from './expression-error.js';
import { jsonataGuardrails, type ExpressionLimits } from './expression-limits.js';
import { limitProblems } from './limit-problems.js';
import { NotAPlainValue, plainValue } from './plain-value.js';
import { Re2RegExp, UnsupportedRegex } from './re2-regex.js';
import type { EvaluationReply } from './evaluation-protocol.js';

/**
 * JSONata reaches no JS globals: names resolve only to the input's own
 * properties and JSONata's bindings. Of those bindings `$eval` is shadowed,
 * as it evaluates text made at run time, which escapes the parse cache and
 * every check made when the subflow was published.
 */
const sandboxBindings: Record<string, unknown> = { eval: undefined };

const failed = (problem: string): EvaluationReply => ({ ok: false, problem, code: 'expression' });

/** Thrown from inside JSONata by a guarded function; carries the reply to give. */
class LimitHit extends Error {
  constructor(readonly reply: EvaluationReply) {
    super('an expression limit was hit');
  }
}

/** A result's size as a step keeps it: a text's UTF-8 bytes, a list's or an object's JSON; a number or a flag is small. */
function resultBytes(plain: unknown): number {
  if (typeof plain === 'string') return Buffer.byteLength(plain);
  if (typeof plain === 'object' && plain !== null) return Buffer.byteLength(JSON.stringify(plain));
  return 0;
}

type Pad = (text: string | undefined, width: number, fill?: string) => string | undefined;

/**
 * Evaluates expressions, in an evaluation process or, for bounded ones, on the
 * event loop: JSONata with its guardrails, RE2 for regular expressions, and a
 * plain result no larger than the limit.
 */
export class Sandbox {
  /**
   * Parsing dominates a small pill's cost, and a subflow runs the same pills on
   * every execution, so parsed expressions are kept. A compiled expression holds
   * no run data: each evaluation gets its own frame, and nothing here assigns
   * into the shared one. The one shared thing is `$now()`'s clock, which JSONata
   * resets as each evaluation starts: a process evaluates one at a time, and
   * the expressions evaluated on the event loop call no function.
   */
  private readonly compiled = new LRUCache<string, jsonata.Expression>({ max: 2000 });

  private constructor(
    private readonly limits: ExpressionLimits,
    private readonly builtinPad: Pad,
  ) {}

  static async create(limits: ExpressionLimits): Promise<Sandbox> {
    // JSONata exports none of its functions; evaluating `$pad` hands back its definition.
    const pad = (await jsonata('$pad').evaluate(undefined)) as { implementation: Pad };
    return new Sandbox(limits, pad.implementation);
  }

  async evaluate(expression: string, data: object): Promise<EvaluationReply> {
    let compiled: jsonata.Expression;
    try {
      compiled = this.compile(expression);
    } catch (error) {
      return failed(`does not parse: ${jsonataMessage(error)}`);
    }
    try {
      // The jsonata boundary: its typings declare the result `any`.
      return this.reply((await compiled.evaluate(data, sandboxBindings)) as unknown);
    } catch (error) {
      return this.failure(error);
    }
  }

  private compile(expression: string): jsonata.Expression {
    let entry = this.compiled.get(expression);
    if (entry === undefined) {
      entry = jsonata(expression, {
        timeout: this.limits.timeoutMs,
        stack: jsonataGuardrails.stackDepth,
        sequence: jsonataGuardrails.sequenceLength,
        // JSONata only ever calls `new` and `exec` on it.
        RegexEngine: Re2RegExp as unknown as RegExpConstructor,
      });
      entry.registerFunction('pad', this.guardedPad, '<s-ns?:s>');
      this.compiled.set(expression, entry);
    }
    return entry;
  }

  /**
   * `$pad` is the one function whose output size is a number it is given, not
   * the size of its input: refused past the result limit before it allocates.
   */
  private readonly guardedPad: Pad = (text, width, fill) => {
    const length = Math.abs(Math.trunc(width));
    if (length > this.limits.maxResultBytes) throw new LimitHit(limitProblems.padWidth(length, this.limits.maxResultBytes));
    return this.builtinPad(text, width, fill);
  };

  private reply(result: unknown): EvaluationReply {
    let plain: unknown;
    try {
      plain = plainValue(result);
    } catch (error) {
      if (error instanceof NotAPlainValue) return failed(error.message);
      throw error;
    }
    if (resultBytes(plain) > this.limits.maxResultBytes) return limitProblems.resultSize(this.limits.maxResultBytes);
    return { ok: true, value: plain };
  }

  /** JSONata's guardrail errors and a misnamed function, reworded as what the designer should change. */
  private failure(error: unknown): EvaluationReply {
    if (error instanceof LimitHit) return error.reply;
    if (error instanceof UnsupportedRegex) return failed(error.message);
    const { code, token } = jsonataDetails(error);
    switch (code) {
      case 'D1012':
        return limitProblems.time(this.limits.timeoutMs);
      case 'D1011':
        return limitProblems.stack(jsonataGuardrails.stackDepth);
      case 'D2014':
      case 'D2015':
        return limitProblems.sequence(jsonataGuardrails.sequenceLength);
      case 'T1006':
        // Also what `$eval` gives, since the sandbox unbinds it.
        if (token !== undefined) return failed(`calls "${token}", which is not a function here; check the name against JSONata's functions, e.g. $string or $sum`);
        break;
    }
    return failed(`failed: ${jsonataMessage(error)}`);
  }
}
