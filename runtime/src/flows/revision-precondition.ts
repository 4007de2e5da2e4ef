import type { Request } from 'express';
import { ProblemError } from '../http/problem.js';

/**
 * Drafts are edited by several designers at once; each write names the
 * revision it was based on in `If-Match`, so nobody overwrites a change they
 * have not seen.
 */

export function etagOf(revision: number): string {
  return `"${revision}"`;
}

/** RFC 9110 strong comparison: `*`, or a list of entity tags one of which is this revision's. */
function matches(ifMatch: string, revision: number): boolean {
  if (ifMatch.trim() === '*') return true;
  return ifMatch.split(',').some((tag) => tag.trim() === etagOf(revision));
}

/** Throws 412 when `If-Match` names another revision; without it, throws 428 when required, else passes. */
export function checkRevision(req: Request, revision: number, what: string, required: boolean): void {
  const ifMatch = req.get('if-match');
  if (ifMatch === undefined) {
    if (!required) return;
    throw new ProblemError(
      428,
      'if-match-required',
      'Precondition required',
      `${what} needs an If-Match header naming the revision you edited (the ETag that GET answered with), so that nobody's changes are overwritten unseen`,
    );
  }
  if (!matches(ifMatch, revision)) throw staleDraft(`you sent If-Match ${ifMatch}, it is now at ${etagOf(revision)}`);
}

/** 412: the draft moved on since the caller loaded it. */
export function staleDraft(why: string): ProblemError {
  return new ProblemError(412, 'stale-revision', 'Precondition failed', `the draft was changed since you loaded it (${why}); reload it, reapply your changes and try again`);
}
