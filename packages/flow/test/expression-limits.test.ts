import jsonata from 'jsonata';
import { afterAll, describe, expect, it } from 'vitest';
import { isBoundedExpression } from '../src/expressions/bounded-expression.js';
import { ExpressionError, ExpressionEvaluator, resolvePills } from '../src/index.js';

/** The findings of issue 17 against expressions, each with the answer it now gets. */

const data = { inputs: { text: `${'a'.repeat(30)}!`, words: 'Alpha beta\nGamma 😀 delta' }, steps: {}, vars: { total: 2 } };
const evaluator = new ExpressionEvaluator({ maxResultBytes: 10_000 }, 1);
afterAll(() => evaluator.close());

async function failure(pill: string, on = evaluator, at: object = data): Promise<ExpressionError> {
  const error: unknown = await resolvePills(pill, at, on).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ExpressionError);
  return error as ExpressionError;
}

describe('regular expressions', () => {
  it('answer the catastrophic pattern of the finding at once, on a linear-time engine', async () => {
    // A backtracking engine needs about 2^30 steps for this; it would hit the time limit.
    expect(await resolvePills('{{ $match(inputs.text, /^(a+)+$/) }}', data, evaluator)).toBeUndefined();
    expect(await resolvePills('{{ $contains(inputs.text, /^(a+)+!$/) }}', data, evaluator)).toBe(true);
  });

  it.each([
    '$match(inputs.words, /([a-z]+) ([a-z]+)/i)',
    '$match(inputs.words, /^[a-z]+ [a-z]+$/im).match',
    '$match(inputs.words, /(x)|(d)elta/)',
    '$replace(inputs.words, /(\\w+) (\\w+)/, "$2 $1")',
    '$split(inputs.words, /\\s+/)',
    '$split(inputs.words, /😀/)',
    '$contains(inputs.words, /GAMMA/i)',
    '$match(inputs.words, /\\b\\w/, 2).index',
  ])('give what RegExp gives for %s', async (expression) => {
    const expected = JSON.stringify(await jsonata(expression).evaluate(data));
    expect(expected).toBeDefined();
    expect(JSON.stringify(await resolvePills(`{{ ${expression} }}`, data, evaluator))).toBe(expected);
  });
});

describe('the time limit', () => {
  it('stops a call that never yields in its process, while this event loop keeps turning', async () => {
    const limited = new ExpressionEvaluator({ timeoutMs: 300 }, 1);
    // Linear, but seconds long over megabytes: one call JSONata's own timeout check never interrupts.
    const long = { ...data, inputs: { long: 'a'.repeat(3_000_000) } };
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    try {
      const error = await failure('{{ $match(inputs.long, /(.*a){20}$/) }}', limited, long);
      expect(error.code).toBe('expression_limit');
      expect(error.message).toMatch(/ran longer than the 300 ms an expression may take, and was stopped; simplify it or give it less data to work on \(the limit is the instance setting LOCKSTEP_EXPRESSION_TIMEOUT_MS\)$/);
      expect(ticks).toBeGreaterThan(0);
      // Its process was replaced.
      expect(await resolvePills('{{ $uppercase("next") }}', data, limited)).toBe('NEXT');
    } finally {
      clearInterval(ticker);
      await limited.close();
    }
  });
});

describe('the result size limit', () => {
  it('refuses $pad to a huge width before building it', async () => {
    const error = await failure('{{ $pad("x", 100000000, "0123456789") }}');
    expect(error.code).toBe('expression_limit');
    expect(error.message).toMatch(/pads to 100000000 characters, more than the 10000 bytes an expression may return; pad to a smaller width/);
  });

  it('refuses a larger result, naming the setting', async () => {
    const error = await failure('{{ $join([1..200].$pad("", 100, "x")) }}');
    expect(error.code).toBe('expression_limit');
    expect(error.message).toMatch(/gives a result larger than the 10000 bytes an expression may return; .+LOCKSTEP_EXPRESSION_MAX_RESULT_BYTES/);
  });

  it('counts bytes, not characters, and lets a result within the limit through', async () => {
    expect(await resolvePills('{{ $pad("x", 9000, "-") }}', data, evaluator)).toHaveLength(9000);
    // 6,000 characters, but 11,999 bytes.
    expect((await failure('{{ $pad("x", 6000, "é") }}')).code).toBe('expression_limit');
  });

  it('holds for expressions evaluated on the event loop too', async () => {
    const big = { inputs: { big: 'x'.repeat(20_000) } };
    expect(isBoundedExpression('inputs.big = inputs.big ? inputs.big : null')).toBe(true);
    expect((await failure('{{ inputs.big = inputs.big ? inputs.big : null }}', evaluator, big)).code).toBe('expression_limit');
  });
});

describe('the memory limit', () => {
  it('stops an expression that exhausts its process, which aborts alone', async () => {
    const patient = new ExpressionEvaluator({ timeoutMs: 20_000 }, 1);
    const doubling = '($a := $pad("", 1000000, "x"); $b := $a & $a; $c := $b & $b; $d := $c & $c; $e := $d & $d; $f := $e & $e; $g := $f & $f; $h := $g & $g; $i := $h & $h; $substring($i, 5, 3))';
    try {
      const error = await failure(`{{ ${doubling} }}`, patient);
      expect(error.code).toBe('expression_limit');
      expect(error.message).toMatch(/needed more than the 128 MB of memory an expression may use, and was stopped/);
      expect(await resolvePills('{{ $uppercase("alive") }}', data, patient)).toBe('ALIVE');
    } finally {
      await patient.close();
    }
  });
});

describe('where an expression runs', () => {
  it.each(['vars.total + steps.loop.item', 'inputs.p = "1" ? "high" : "low"', '-vars.x * (2 + vars.y) % 3', 'vars.a and (vars.b or vars.c != null)', 'inputs.`odd name` >= 2'])(
    'on the event loop: %s',
    (expression) => expect(isBoundedExpression(expression)).toBe(true),
  );

  it.each([
    '$uppercase(inputs.x)',
    'inputs.a & inputs.b',
    '[1..inputs.count]',
    'inputs.list[0]',
    'inputs.list.(x)',
    '$$.inputs',
    '$match(inputs.x, /a/)',
    'inputs.a in inputs.b',
    '{"a": inputs.a}',
    '[inputs.a]',
    '($x := 1; $x)',
    'inputs.list^(x)',
    'inputs.**.x',
    'inputs.*',
    'inputs.a.%.b',
    'inputs.list#$i',
    'function($x) { $x }',
    'inputs.(',
  ])('in a process: %s', (expression) => expect(isBoundedExpression(expression)).toBe(false));

  it('gives the same answers either way', async () => {
    expect(await resolvePills('{{ vars.total * 3 > 5 ? "big" : "small" }}', data, evaluator)).toBe('big');
    expect(await resolvePills('{{ $string(vars.total * 3 > 5) }}', data, evaluator)).toBe('true');
  });
});
