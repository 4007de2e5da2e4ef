import { problemSchema, type Problem } from '@lockstep/schema';
import type { z } from 'zod';
import { currentSession, endSession } from './session';
import { inTime } from './timeout';

/** An API error, carrying the runtime's problem+json body. */
export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }

  get status(): number {
    return this.problem.status;
  }
}

export interface ApiResponse<T> {
  body: T;
  etag: string | null;
  /** A list's whole size (`X-Total-Count`), when the answer is a page of one. */
  total: number | null;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  ifMatch?: string;
  /** Overrides the session's bearer token and domain (signing in sends Basic credentials). */
  authorization?: string;
}

/** Listeners told when the runtime no longer accepts the session, so the app can ask to sign in again. */
const signedOutListeners = new Set<() => void>();
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/**
 * Marks a request as the designer's: the runtime then answers a 401 without
 * the Basic challenge that makes a browser show its own sign-in popup.
 */
const FROM_SCRIPT = { 'X-Requested-With': 'XMLHttpRequest' };

/**
 * The session's bearer token and the domain the tab picked (the runtime then
 * narrows every answer and every create to it), or `override` alone (signing
 * in sends Basic credentials).
 */
export function sessionHeaders(override?: string): Record<string, string> {
  if (override !== undefined) return { ...FROM_SCRIPT, Authorization: override };
  const session = currentSession();
  if (session === null) return FROM_SCRIPT;
  return { ...FROM_SCRIPT, Authorization: `Bearer ${session.token}`, ...(session.pickedDomain === undefined ? {} : { 'X-Lockstep-Domain': session.pickedDomain }) };
}

/** The problem a failed answer (`text`, its body) carries, or one made from its status; a 401 to the session's own token ends the session. */
export function problemOf(response: Response, text: string, ownToken = true): ApiProblem {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const problem = problemSchema.safeParse(json);
  const detail = problem.success ? problem.data : { type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: response.status, detail: text.slice(0, 300) };
  if (response.status === 401 && ownToken) {
    endSession();
    signedOutListeners.forEach((listener) => listener());
  }
  return new ApiProblem(detail);
}

/**
 * Calls the runtime's API and checks the answer against `schema`: nothing
 * from outside is trusted unchecked. A runtime that does not answer in time
 * fails it with a RequestTimeout.
 */
export async function request<S extends z.ZodType>(schema: S, path: string, options: RequestOptions = {}): Promise<ApiResponse<z.infer<S>>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...sessionHeaders(options.authorization) };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['If-Match'] = options.ifMatch;
  const { response, text } = await inTime(async (signal) => {
    const answer = await fetch(`/api${path}`, { method: options.method ?? 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal });
    return { response: answer, text: await answer.text() };
  });
  if (!response.ok) throw problemOf(response, text, options.authorization === undefined);
  const json: unknown = text === '' ? undefined : JSON.parse(text);
  const total = response.headers.get('X-Total-Count');
  return { body: schema.parse(json), etag: response.headers.get('ETag'), total: total === null ? null : Number(total) };
}
