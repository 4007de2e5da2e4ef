import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { DuplicateKeyError } from '../store/port.js';
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

function toProblem(error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (error instanceof ZodError) {
    return new ProblemError(400, 'invalid-request', 'Bad request', 'the request is not valid; see errors', zodFindings(error));
  }
  if (error instanceof DuplicateKeyError) {
    return new ProblemError(409, 'duplicate', 'Conflict', `a record with the same unique value already exists: ${error.message}`);
  }
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
