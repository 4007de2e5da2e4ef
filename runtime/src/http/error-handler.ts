import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { DuplicateKeyError, WriteConflictError } from '@lockstep/store';
import { ProblemError, type ProblemFinding } from './problem.js';

const PROBLEM_JSON = 'application/problem+json';

function send(res: Response, problem: ProblemError, instance: string): void {
  for (const [name, value] of Object.entries(problem.headers ?? {})) res.setHeader(name, value);
  res.status(problem.status).type(PROBLEM_JSON).send(JSON.stringify(problem.toProblem(instance)));
}

export function zodFindings(error: ZodError, prefix = ''): ProblemFinding[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
}

/** Errors the body parser raises carry an HTTP status and a `type` naming the failure. */
interface BodyParserError {
  status: number;
  type: string;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && 'type' in error && 'status' in error;
}

/**
 * What Express and its static file server raise for a request they cannot
 * read (http-errors): a 4xx status, with a message meant for the client.
 */
function isClientHttpError(error: unknown): error is Error & { status: number } {
  if (!(error instanceof Error) || !('status' in error) || !('expose' in error)) return false;
  return typeof error.status === 'number' && error.status >= 400 && error.status < 500 && error.expose === true;
}

/** Storage's failures, which know nothing of HTTP, as the API answers them. */
function storeProblem(error: DuplicateKeyError | WriteConflictError): ProblemError {
  if (error instanceof DuplicateKeyError) {
    return new ProblemError(409, 'duplicate', 'Conflict', `a record with the same unique value already exists: ${error.message}`);
  }
  return new ProblemError(409, 'write-conflict', 'Conflict', `${error.message}. Try again.`);
}

function toProblem(error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  // The router decodes path parameters: a stray or broken % escape (/table/%E0%A4%A) cannot be.
  if (error instanceof URIError) {
    return new ProblemError(400, 'malformed-path', 'Bad request', `the path is not valid: ${error.message}; a literal % is written %25`);
  }
  if (error instanceof ZodError) {
    return new ProblemError(400, 'invalid-request', 'Bad request', 'the request is not valid; see errors', zodFindings(error));
  }
  if (error instanceof DuplicateKeyError || error instanceof WriteConflictError) return storeProblem(error);
  if (isBodyParserError(error)) {
    if (error.type === 'entity.parse.failed') {
      return new ProblemError(400, 'malformed-json', 'Bad request', `the body is not valid JSON: ${error.message}`);
    }
    if (error.type === 'entity.too.large') {
      return new ProblemError(413, 'body-too-large', 'Content too large', 'the body is larger than the server accepts; send less data per request');
    }
    if (error.status >= 400 && error.status < 500) {
      return new ProblemError(error.status, 'bad-body', 'Bad request', error.message);
    }
  }
  if (isClientHttpError(error)) {
    return new ProblemError(error.status, 'bad-request', STATUS_CODES[error.status] ?? 'Bad request', `the request cannot be served: ${error.message}`);
  }
  return undefined;
}

/** Turns anything thrown by a handler into problem+json; unknown failures are logged, not leaked. */
export const problemHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const problem = toProblem(error);
  if (problem) {
    send(res, problem, req.originalUrl);
    return;
  }
  req.log.error({ err: error }, 'unhandled error');
  send(
    res,
    new ProblemError(500, 'internal', 'Internal server error', `the server failed unexpectedly; its log has the details under request id ${String(req.id)}`),
    req.originalUrl,
  );
};

export const routeNotFound: RequestHandler = (req, res) => {
  send(res, new ProblemError(404, 'no-such-route', 'Not found', `no route ${req.method} ${req.path}; see the README for the API`), req.originalUrl);
};
