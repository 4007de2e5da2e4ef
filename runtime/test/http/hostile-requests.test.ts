import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/http/json-body.js';
import { expectProblem } from '../support/problem.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const nested = (depth: number, inner = '1') => `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;

describe('requests a hostile client makes, and what it learns', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime.dispose());

  it('a malformed % escape in a path is 400, not 500', async () => {
    for (const path of ['/api/now/table/incident/%E0%A4%A', '/api/now/table/%zz', '/api/lockstep/v1/subflows/%']) {
      const problem = await expectProblem(await runtime.call('GET', path), 400, 'malformed-path');
      expect(problem.detail, path).toContain('a literal % is written %25');
    }
  });

  it('a 100,000-deep JSON body is 400 before it is parsed, on the API and on the peer API', async () => {
    const deep = nested(100_000);
    for (const path of ['/api/now/table/incident', '/api/lockstep/v1/subflows']) {
      const problem = await expectProblem(await runtime.call('POST', path, { rawBody: deep }), 400, 'json-too-deep');
      expect(problem.detail).toBe(`the body nests deeper than the ${MAX_JSON_DEPTH} levels of arrays and objects accepted here`);
    }
    await expectProblem(await runtime.call('POST', '/api/now/table/incident', { rawBody: `[${'['.repeat(100_000)}${']'.repeat(100_000)}]` }), 400, 'json-too-deep');
    // The peer API parses its own bodies, before anyone is authenticated.
    await expectProblem(await runtime.call('POST', '/api/sync/v1/inbound', { rawBody: deep, auth: null }), 400, 'json-too-deep');
    expect((await runtime.call('GET', '/health')).status).toBe(200);
  });

  it('a body at the depth limit is read as usual, brackets in strings not counted', async () => {
    const atLimit = `{"short_description":"[[[{{{ \\" [[[","x":${nested(MAX_JSON_DEPTH - 1)}}`;
    const problem = await expectProblem(await runtime.call('POST', '/api/now/table/incident', { rawBody: atLimit }), 400, 'invalid-record');
    expect(problem.errors).toEqual([{ path: 'x', message: 'table incident has no field x' }]);
  });

  it('/health names the store kind and no path of this machine', async () => {
    const text = await (await runtime.call('GET', '/health', { auth: null })).text();
    expect(JSON.parse(text)).toMatchObject({ status: 'ok', store: { kind: 'embedded' } });
    expect(text).not.toContain(runtime.dataDir);
    expect(text).not.toMatch(/location|\/tmp\//);
  });
});
