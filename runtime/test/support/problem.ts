import { problemSchema, type Problem } from '@lockstep/schema';
import { expect } from 'vitest';

/** Asserts an RFC 9457 answer with this status and problem type, and returns its body. */
export async function expectProblem(response: Response, status: number, slug: string): Promise<Problem> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = problemSchema.parse(JSON.parse(text));
  expect(problem.type).toBe(`urn:lockstep:problem:${slug}`);
  expect(problem.status).toBe(status);
  return problem;
}
