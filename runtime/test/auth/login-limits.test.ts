import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemSchema } from '@lockstep/schema';
import { basic, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { createUser } from './user-support.js';

interface Answer {
  status: number;
  retryAfter: string | undefined;
  type: string | undefined;
  ms: number;
}

/**
 * A sign-in (GET /me) from one loopback address: the runtime listens on
 * 127.0.0.1, and Linux lets a client connect to it from any 127.x address,
 * which the runtime sees as another client.
 */
function signInFrom(runtime: TestRuntime, localAddress: string, userName: string, password: string): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const call = request(`${runtime.url}/api/lockstep/v1/me`, { localAddress, agent: false, headers: { authorization: basic(userName, password) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const ms = performance.now() - started;
        const body = Buffer.concat(chunks).toString('utf8');
        const type = response.statusCode === 200 ? undefined : problemSchema.parse(JSON.parse(body)).type;
        resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'], type, ms });
      });
    });
    call.on('error', reject);
    call.end();
  });
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

describe('failed sign-ins', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    for (const user_name of ['ann', 'bob', 'cy', 'dee']) await createUser(runtime, { user_name, roles: [] });
  });
  afterAll(() => runtime.dispose());

  it('get 429 with Retry-After from the 11th bad password for one user within a minute, the right one included', async () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) expect((await signInFrom(runtime, '127.0.0.1', 'ann', `guess-${attempt}`)).status, `attempt ${attempt}`).toBe(401);
    const eleventh = await signInFrom(runtime, '127.0.0.1', 'ann', 'guess-11');
    expect(eleventh).toMatchObject({ status: 429, type: 'urn:lockstep:problem:too-many-failed-logins' });
    expect(Number(eleventh.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(eleventh.retryAfter)).toBeLessThanOrEqual(60);
    expect((await signInFrom(runtime, '127.0.0.1', 'ann', 'ann-password')).status).toBe(429);
  });

  it("are counted per address: the user's success elsewhere neither resets the attacker's count nor is locked out by it", async () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) expect((await signInFrom(runtime, '127.0.0.2', 'bob', `guess-${attempt}`)).status).toBe(401);
    expect((await signInFrom(runtime, '127.0.0.1', 'bob', 'bob-password')).status).toBe(200);
    expect((await signInFrom(runtime, '127.0.0.2', 'bob', 'guess-11')).status).toBe(429);
    expect((await signInFrom(runtime, '127.0.0.1', 'bob', 'bob-password')).status).toBe(200);
  });

  it('sent all at once are counted one by one: of 20 parallel guesses, 10 are checked and 10 refused', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => signInFrom(runtime, '127.0.0.3', 'cy', `guess-${index}`)));
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(10);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(10);
  });

  it('get 429 from one address after 50 bad passwords, whatever user names they are for', async () => {
    for (let attempt = 1; attempt <= 50; attempt += 1) expect((await signInFrom(runtime, '127.0.0.4', `nobody-${attempt}`, 'guess')).status).toBe(401);
    expect(await signInFrom(runtime, '127.0.0.4', 'dee', 'dee-password')).toMatchObject({ status: 429, type: 'urn:lockstep:problem:too-many-failed-logins' });
    expect((await signInFrom(runtime, '127.0.0.1', 'dee', 'dee-password')).status).toBe(200);
  });

  it('take as long for an unknown user as for a known one with a wrong password (medians within a factor of 1.5)', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so that a busy spell of the machine weighs on both alike; 9 of each stays under the per-user limit.
    for (let attempt = 0; attempt < 9; attempt += 1) {
      known.push((await signInFrom(runtime, '127.0.0.5', 'dee', `guess-${attempt}`)).ms);
      unknown.push((await signInFrom(runtime, '127.0.0.5', 'no-such-user', `guess-${attempt}`)).ms);
    }
    const [knownMs, unknownMs] = [median(known), median(unknown)];
    expect(Math.max(knownMs, unknownMs) / Math.min(knownMs, unknownMs), `known ${knownMs.toFixed(1)} ms, unknown ${unknownMs.toFixed(1)} ms`).toBeLessThanOrEqual(1.5);
  });
});
