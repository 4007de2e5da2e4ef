import { problemSchema, type Problem } from '@lockstep/schema';
import type { z } from 'zod';
import { currentSession, endSession } from './session';

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
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  ifMatch?: string;
  /** Overrides the session's bearer token (signing in sends Basic credentials). */
  authorization?: string;
}

/** Listeners told when the runtime no longer accepts the session, so the app can ask to sign in again. */
const signedOutListeners = new Set<() => void>();
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** Calls the runtime's API and checks the answer against `schema`: nothing from outside is trusted unchecked. */
export async function request<S extends z.ZodType>(schema: S, path: string, options: RequestOptions = {}): Promise<ApiResponse<z.infer<S>>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = currentSession()?.token;
  const authorization = options.authorization ?? (token === undefined ? undefined : `Bearer ${token}`);
  if (authorization !== undefined) headers.Authorization = authorization;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['If-Match'] = options.ifMatch;
  const response = await fetch(`/api${path}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const json: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const problem = problemSchema.safeParse(json);
    const detail = problem.success ? problem.data : { type: 'about:blank', title: response.statusText, status: response.status, detail: text.slice(0, 300) };
    if (response.status === 401 && options.authorization === undefined) {
      endSession();
      signedOutListeners.forEach((listener) => listener());
    }
    throw new ApiProblem(detail);
  }
  return { body: schema.parse(json), etag: response.headers.get('ETag') };
}
