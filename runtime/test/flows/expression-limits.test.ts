import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { edge, node } from '../../../test/support/subflow-parts.js';

/**
 * Issue 17's findings against expressions, on a real runtime with the default
 * limits (1 s, 1 MB): each reproduced, each now getting the safe answer.
 */
describe('hostile expressions', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    // Starts an evaluation process, so what is timed below is the limit, not a first start.
    expect((await run(await draft('Warm up', '{{ $uppercase("warm") }}'))).status).toBe('completed');
  });
  afterAll(() => runtime.dispose());

  /** Start → Set variables (`result` from `pill`) → End. */
  function graph(name: string, pill: string) {
    return {
      name,
      kind: 'custom',
      inputs: [{ name: 'text', type: 'string' }],
      nodes: [node('start', 'flow.start'), node('check', 'flow.setVariables', { variables: { result: pill } }), node('end', 'flow.end')],
      edges: [edge('start', 'check'), edge('check', 'end')],
    };
  }

  async function draft(name: string, pill: string): Promise<{ id: string; etag: string }> {
    const response = await runtime.call('POST', '/api/lockstep/v1/subflows', { body: graph(name, pill) });
    expect(response.status, await response.clone().text()).toBe(201);
    return { id: (await response.json()).result.id, etag: response.headers.get('etag') ?? '' };
  }

  async function run({ id }: { id: string }, inputs: Record<string, unknown> = {}) {
    const response = await runtime.call('POST', `/api/lockstep/v1/subflows/${id}/test-run`, { body: { inputs } });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()).result;
  }

  it('answers the catastrophic regex of the finding at once, on RE2', async () => {
    // 4.3 s of backtracking blocked the whole server on this; RE2 has no backtracking.
    const context = await run(await draft('Catastrophic', '{{ $exists($match(inputs.text, /^(a+)+$/)) }}'), { text: `${'a'.repeat(30)}!` });
    expect(context).toMatchObject({ status: 'completed', vars: { result: false } });
  });

  it('fails a step whose regex runs past the time limit, while /health goes on answering', async () => {
    // Linear on RE2, but seconds long over 3 MB: one call that only killing its process stops.
    const subflow = await draft('Long regex', '{{ $match($join([1..3000].$pad("", 1000, "a")), /(.*a){20}$/) }}');
    const answered: { sent: number; received: number; ms: number }[] = [];
    let settled = false;
    const running = run(subflow).finally(() => (settled = true));
    while (!settled) {
      const sent = Date.now();
      const started = performance.now();
      const health = await runtime.call('GET', '/health', { auth: null });
      expect(health.status).toBe(200);
      answered.push({ sent, received: Date.now(), ms: performance.now() - started });
    }
    const context = await running;

    expect(context).toMatchObject({ status: 'error', error: { node_id: 'check', code: 'expression_limit' } });
    expect(context.error.message).toMatch(/^in variables\.result, .+ ran longer than the 1000 ms an expression may take, and was stopped; simplify it or give it less data to work on/);
    const step = context.steps.check;
    // Stopped at its limit: RE2 alone would take seconds more, and backtracking far longer.
    expect(step.duration_ms).toBeGreaterThanOrEqual(1000);
    expect(step.duration_ms).toBeLessThan(2000);
    // Health answered while the expression ran: each of these was both sent and answered inside the step.
    const during = answered.filter((call) => call.sent >= step.started_at && call.received <= step.finished_at);
    expect(during.length).toBeGreaterThan(0);
    const times = during.map((call) => call.ms);
    console.log(`/health during the step (${step.duration_ms} ms): ${during.length} answers, ${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)} ms`);
    expect(Math.min(...times)).toBeLessThan(100);
  });

  it('fails a step that pads to a huge width with the size limit', async () => {
    const context = await run(await draft('Huge pad', '{{ $pad("x", 160000000, "0123456789") }}'));
    expect(context).toMatchObject({ status: 'error', error: { node_id: 'check', code: 'expression_limit' } });
    expect(context.error.message).toMatch(/pads to 160000000 characters, more than the 1000000 bytes an expression may return; pad to a smaller width/);
  });

  it('fails a step whose result is over the size limit', async () => {
    const context = await run(await draft('Big result', '{{ $pad("", 900000, "x") & $pad("", 900000, "y") }}'));
    expect(context).toMatchObject({ status: 'error', error: { node_id: 'check', code: 'expression_limit' } });
    expect(context.error.message).toMatch(/gives a result larger than the 1000000 bytes an expression may return/);
  });

  it('refuses to publish a regex RE2 cannot run, with 422 naming the node and param', async () => {
    const { id, etag } = await draft('Back-reference', '{{ $match(inputs.text, /(a+)\\1/) }}');
    const response = await fetch(`${runtime.url}/api/lockstep/v1/subflows/${id}/publish`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('admin:admin-password-for-tests').toString('base64')}`, 'if-match': etag },
    });
    const problem = await expectProblem(response, 422, 'invalid-subflow');
    expect(problem.errors).toEqual([
      {
        path: 'nodes.check.params.variables.result',
        message: expect.stringMatching(/^node "check" \(check\): the data pill .+ uses the regular expression \/\(a\+\)\\1\/, which the linear-time \(RE2\) engine cannot run/),
      },
    ]);
  });
});
