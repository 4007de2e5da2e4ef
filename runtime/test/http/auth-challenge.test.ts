import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { ADMIN, basic, startTestRuntime, type TestRuntime } from '../support/runtime.js';

/** What the designer sends with every request, so that a refusal never raises the browser's own sign-in popup. */
const FROM_THE_DESIGNER = { 'X-Requested-With': 'XMLHttpRequest' };

describe('the challenge of a 401', () => {
  let runtime: TestRuntime;
  const get = (path: string, headers: Record<string, string>) => fetch(`${runtime.url}${path}`, { headers });

  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime?.dispose());

  it('is Bearer, never Basic, for the designer: a wrong password, an unknown token, no credentials', async () => {
    for (const authorization of [basic(ADMIN.user, 'not-the-password'), 'Bearer not-a-token', undefined]) {
      const response = await get('/api/lockstep/v1/me', { ...FROM_THE_DESIGNER, ...(authorization === undefined ? {} : { authorization }) });
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="lockstep"');
      await expectProblem(response, 401, 'unauthenticated');
    }
  });

  it('is Basic for everyone else, and curl -u, which sends its credentials up front, needs none', async () => {
    const refused = await get('/api/lockstep/v1/me', { authorization: basic(ADMIN.user, 'not-the-password') });
    expect(refused.headers.get('www-authenticate')).toBe('Basic realm="lockstep", charset="UTF-8"');
    await expectProblem(refused, 401, 'unauthenticated');
    const signedIn = await get('/api/lockstep/v1/me', { authorization: basic(ADMIN.user, ADMIN.password) });
    expect(signedIn.status).toBe(200);
    expect((await signedIn.json()).result.userName).toBe(ADMIN.user);
  });
});
