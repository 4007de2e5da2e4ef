import type { Problem } from '@lockstep/schema';

export type ProblemFinding = NonNullable<Problem['errors']>[number];

/**
 * An error that the API answers with an RFC 9457 problem+json body. Handlers
 * throw it before they change anything, so a rejected request stores nothing.
 */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly status: number,
    /** Short, stable identifier of the kind of problem; it becomes the `type` URN. */
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly errors?: ProblemFinding[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }

  toProblem(instance: string): Problem {
    return {
      type: problemType(this.slug),
      title: this.title,
      status: this.status,
      detail: this.detail,
      instance,
      ...(this.errors && this.errors.length > 0 ? { errors: this.errors } : {}),
    };
  }
}

/** Problem types are URNs: stable names that do not pretend to be a web page. */
export function problemType(slug: string): string {
  return `urn:lockstep:problem:${slug}`;
}

export function badRequest(slug: string, detail: string, errors?: ProblemFinding[]): ProblemError {
  return new ProblemError(400, slug, 'Bad request', detail, errors);
}

export function notFound(slug: string, detail: string): ProblemError {
  return new ProblemError(404, slug, 'Not found', detail);
}

/** `challenge` is the WWW-Authenticate value, which depends on who asks (challengeFor). */
export function unauthorized(detail: string, challenge: string): ProblemError {
  return new ProblemError(401, 'unauthenticated', 'Authentication required', detail, undefined, { 'WWW-Authenticate': challenge });
}

export function forbidden(detail: string): ProblemError {
  return new ProblemError(403, 'missing-role', 'Forbidden', detail);
}
