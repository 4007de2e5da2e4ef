import type { Request } from 'express';

/**
 * The challenge a 401 carries. A browser answers a Basic challenge with its
 * own sign-in popup, which the designer must never raise: it asks for
 * credentials on its own page, and marks its requests with X-Requested-With.
 * Those get a Bearer challenge, which browsers do not prompt for. Everyone
 * else (curl -u, scripts, peers, a person browsing the API) keeps the Basic
 * one; those that send credentials up front never need it.
 */
export function challengeFor(req: Request): string {
  return req.get('X-Requested-With') === undefined ? 'Basic realm="lockstep", charset="UTF-8"' : 'Bearer realm="lockstep"';
}
