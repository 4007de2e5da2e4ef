import { afterAll, describe, expect, it } from 'vitest';
import { ExpressionError, ExpressionEvaluator, findPills, resolvePills } from '../src/index.js';

const data = {
  inputs: { payload: { short_description: 'Email is down', priority: '2', count: 3, tags: ['mail', 'outage'] } },
  steps: { lookup: { record: { number: 'INC0010001', impact: 2 } } },
  vars: { count: 4, flag: false },
};

async function failure(value: unknown, data: object, evaluator?: ExpressionEvaluator): Promise<ExpressionError> {
  const error: unknown = await resolvePills(value, data, evaluator).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ExpressionError);
  return error as ExpressionError;
}

/** Evaluators with short time limits, for expressions that never end. */
const quick = new ExpressionEvaluator({ timeoutMs: 50 }, 1);
const slower = new ExpressionEvaluator({ timeoutMs: 100 }, 1);
afterAll(() => Promise.all([quick.close(), slower.close()]));

describe('a string that is one pill', () => {
  it('keeps the value type', async () => {
    expect(await resolvePills('{{ vars.count }}', data)).toBe(4);
    expect(await resolvePills('{{ vars.flag }}', data)).toBe(false);
    expect(await resolvePills('  {{ steps.lookup.record }} ', data)).toEqual({ number: 'INC0010001', impact: 2 });
  });

  it('stays undefined when the path is missing', async () => {
    expect(await resolvePills('{{ inputs.payload.nothing.here }}', data)).toBeUndefined();
    expect(await resolvePills({ field: '{{ steps.missing.record }}' }, data)).toEqual({ field: undefined });
  });

  it('gives a sequence as a plain array', async () => {
    const result = await resolvePills('{{ inputs.payload.tags.$uppercase($) }}', data);
    expect(result).toEqual(['MAIL', 'OUTAGE']);
    expect(Object.keys(result as object)).toEqual(['0', '1']);
  });

  it('returns a copy, not the run data itself', async () => {
    const record = (await resolvePills('{{ steps.lookup.record }}', data)) as Record<string, unknown>;
    record.number = 'changed';
    expect(data.steps.lookup.record.number).toBe('INC0010001');
  });
});

describe('a string with text around pills', () => {
  it('splices each value in as text', async () => {
    const text = await resolvePills('{{ steps.lookup.record.number }}: {{ inputs.payload.short_description }} (P{{ inputs.payload.priority }})', data);
    expect(text).toBe('INC0010001: Email is down (P2)');
  });

  it('writes objects as JSON and missing or null values as nothing', async () => {
    expect(await resolvePills('record {{ steps.lookup.record }}', data)).toBe('record {"number":"INC0010001","impact":2}');
    expect(await resolvePills('[{{ inputs.nothing }}][{{ null }}]', data)).toBe('[][]');
  });
});

describe('a params tree', () => {
  it('resolves pills at any depth and leaves other values alone', async () => {
    const when = new Date('2024-01-01T00:00:00Z');
    const params = {
      table: 'incident',
      values: { short_description: '{{ inputs.payload.short_description }}', impact: '{{ steps.lookup.record.impact }}' },
      list: [1, '{{ vars.count }}', { nested: ['{{ vars.flag }}'] }],
      limit: 10,
      active: true,
      none: null,
      when,
    };
    const resolved = (await resolvePills(params, data)) as typeof params;
    expect(resolved).toEqual({
      table: 'incident',
      values: { short_description: 'Email is down', impact: 2 },
      list: [1, 4, { nested: [false] }],
      limit: 10,
      active: true,
      none: null,
      when,
    });
    expect(resolved.when).toBe(when);
  });

  it('never changes the params it was given', async () => {
    const params = { values: { a: '{{ vars.count }}' }, list: ['{{ vars.flag }}'] };
    const resolved = await resolvePills(params, data);
    expect(params).toEqual({ values: { a: '{{ vars.count }}' }, list: ['{{ vars.flag }}'] });
    expect(resolved).not.toBe(params);
  });

  it('keeps a __proto__ key as data', async () => {
    const params = JSON.parse('{"__proto__": "{{ vars.count }}"}') as object;
    const resolved = (await resolvePills(params, data)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(resolved)).toBe(Object.prototype);
    expect(Object.hasOwn(resolved, '__proto__')).toBe(true);
  });
});

describe('JSONata in pills', () => {
  it('runs its functions and conditionals', async () => {
    expect(await resolvePills('{{ $uppercase(inputs.payload.short_description) }}', data)).toBe('EMAIL IS DOWN');
    expect(await resolvePills('{{ $sum([inputs.payload.count, vars.count]) }}', data)).toBe(7);
    expect(await resolvePills('{{ vars.count > 3 ? "high" : "low" }}', data)).toBe('high');
    expect(await resolvePills('{{ $number(inputs.payload.priority) + 1 }}', data)).toBe(3);
    expect(await resolvePills('{{ {"n": steps.lookup.record.number} }}', data)).toEqual({ n: 'INC0010001' });
  });

  it('has $now', async () => {
    const now = await resolvePills('{{ $now() }}', data);
    expect(typeof now).toBe('string');
    expect(Number.isNaN(Date.parse(now as string))).toBe(false);
  });

  it('rejects a pill that evaluates to a function', async () => {
    const error = await failure({ value: '{{ $uppercase }}' }, data);
    expect(error.message).toMatch(/^in value, "\$uppercase" evaluates to a function, not a value/);
  });

  it('rejects a result that is not a finite number', async () => {
    const error = await failure('{{ 1 / 0 }}', data);
    expect(error.message).toMatch(/evaluates to Infinity/);
  });
});

describe('the sandbox', () => {
  it('gives no access to JS globals or $eval', async () => {
    expect(await resolvePills('{{ $process }}', data)).toBeUndefined();
    expect(await resolvePills('{{ process }}', data)).toBeUndefined();
    expect(await resolvePills('{{ $globalThis }}', data)).toBeUndefined();
    expect(await resolvePills('{{ $require }}', data)).toBeUndefined();
    expect(await resolvePills('{{ $eval }}', data)).toBeUndefined();
    expect(await resolvePills('{{ inputs.constructor }}', data)).toBeUndefined();
    const error = await failure({ values: { x: '{{ $eval("1 + 1") }}' } }, data);
    expect(error.message).toMatch(/^in values\.x, ".*" calls "eval", which is not a function here/);
  });

  it('stops a runaway recursion with a clear message', async () => {
    const forever = '{{ ($loop := function($n) { $loop($n + 1) }; $loop(0)) }}';
    const error = await failure({ values: { short_description: forever } }, data, quick);
    expect(error.code).toBe('expression_limit');
    expect(error.message).toMatch(/^in values\.short_description, ".*" ran longer than the 50 ms an expression may take, and was stopped; simplify it/);
  });

  it('stops a recursion that nests too deep', async () => {
    const deep = '{{ ($sum := function($n) { $n <= 0 ? 0 : $n + $sum($n - 1) }; $sum(100000)) }}';
    const error = await failure(deep, data);
    expect(error.message).toMatch(/nests or recurses deeper than \d+ steps/);
    expect(error.code).toBe('expression_limit');
  });

  it('stops an oversized sequence', async () => {
    const error = await failure('{{ $count([1..1000000]) }}', data);
    expect(error.message).toMatch(/builds a sequence of more than \d+ items/);
    expect(error.code).toBe('expression_limit');
  });

  it('lets a moderate recursion finish', async () => {
    expect(await resolvePills('{{ ($sum := function($n) { $n <= 0 ? 0 : $n + $sum($n - 1) }; $sum(50)) }}', data)).toBe(1275);
  });
});

describe('expression errors', () => {
  it('says where a pill that does not parse sits and why', async () => {
    const error = await failure({ values: { short_description: 'Re: {{ inputs.payload.( }}' } }, data);
    expect(error.expression).toBe('inputs.payload.(');
    expect(error.path).toBe('values.short_description');
    expect(error.message).toMatch(/^in values\.short_description, "inputs\.payload\.\(" does not parse: .+ \(at character \d+\)$/);
  });

  it('names array positions and unusual keys in the path', async () => {
    expect((await failure({ list: ['ok', '{{ ) }}'] }, data)).path).toBe('list[1]');
    expect((await failure({ values: { 'u_x-ref': '{{ ) }}' } }, data)).path).toBe('values["u_x-ref"]');
  });

  it('rejects an empty pill', async () => {
    const error = await failure({ a: 'x {{ }} y' }, data);
    expect(error.message).toBe('in a, "" is an empty data pill; write an expression between {{ and }}');
  });

  it('names a function that does not exist', async () => {
    const error = await failure({ a: '{{ $upper(inputs.payload.short_description) }}' }, data);
    expect(error.message).toMatch(/^in a, ".+" calls "upper", which is not a function here/);
  });

  it('reports an evaluation failure with JSONata\'s reason', async () => {
    const error = await failure({ total: '{{ inputs.payload.short_description + 1 }}' }, data);
    expect(error.message).toMatch(/^in total, ".+" failed: .+/);
  });
});

describe('the parse cache', () => {
  it('evaluates a cached expression against each call\'s own data', async () => {
    const pill = '{{ inputs.payload.priority }}';
    expect(await resolvePills(pill, data)).toBe('2');
    expect(await resolvePills(pill, { inputs: { payload: { priority: '5' } } })).toBe('5');
    expect(await resolvePills(pill, { inputs: {} })).toBeUndefined();
  });

  it('keeps variables bound in one evaluation out of the next', async () => {
    const pill = '{{ ($seen ? "leaked" : ($seen := inputs.x)) }}';
    expect(await resolvePills(pill, { inputs: { x: 'first' } })).toBe('first');
    expect(await resolvePills(pill, { inputs: { x: 'second' } })).toBe('second');
  });

  it('keeps concurrent evaluations apart', async () => {
    const pill = '{{ $string(inputs.n) & "!" }}';
    const results = await Promise.all([1, 2, 3, 4].map((n) => resolvePills(pill, { inputs: { n } })));
    expect(results).toEqual(['1!', '2!', '3!', '4!']);
  });

  it('applies each evaluator\'s own time limit to a cached expression', async () => {
    const forever = '{{ ($loop := function($n) { $loop($n + 1) }; $loop(0)) }}';
    expect((await failure(forever, data, quick)).message).toMatch(/longer than the 50 ms/);
    expect((await failure(forever, data, slower)).message).toMatch(/longer than the 100 ms/);
  });
});

describe('findPills', () => {
  it('lists every pill with its path', () => {
    const params = {
      table: 'incident',
      values: { short_description: '{{ inputs.a }} and {{inputs.b}}', n: 3 },
      list: ['plain', '{{ vars.c }}'],
    };
    expect(findPills(params)).toEqual([
      { path: 'values.short_description', expression: 'inputs.a' },
      { path: 'values.short_description', expression: 'inputs.b' },
      { path: 'list[1]', expression: 'vars.c' },
    ]);
    expect(findPills('no pills')).toEqual([]);
  });
});

describe('plain path pills', () => {
  const data = {
    inputs: { payload: { number: 'INC0010001', nested: { deep: [1, 2] }, list: [{ name: 'a' }, { name: 'b' }], empty: null } },
    steps: { 'look-up': { found: true } },
    vars: {},
  };

  it.each([
    'inputs.payload.number',
    'inputs.payload.nested.deep',
    'inputs.payload.missing.deeper',
    'inputs.payload.empty',
    'inputs.payload.list.name',
    'inputs.constructor',
    'inputs.payload.__proto__',
    'vars',
  ])('read %s as JSONata does', async (expression) => {
    const { default: jsonata } = await import('jsonata');
    const expected = await jsonata(expression).evaluate(data);
    const resolved = await resolvePills(`{{ ${expression} }}`, data);
    expect(resolved).toEqual(expected === undefined ? undefined : JSON.parse(JSON.stringify(expected)));
  });
});
