import type { z } from 'zod';
import { badRequest } from './problem.js';
import { zodFindings } from './error-handler.js';

/** Validates a request body, or throws a 400 problem listing every finding. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw badRequest('invalid-body', 'the request body is not valid; see errors', zodFindings(parsed.error, 'body'));
  return parsed.data;
}

/** Validates query parameters, or throws a 400 problem listing every finding. */
export function parseQueryParams<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw badRequest('invalid-parameter', 'a query parameter is not valid; see errors', zodFindings(parsed.error));
  return parsed.data;
}
