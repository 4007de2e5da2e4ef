import { domainName } from '@lockstep/schema';
import type { Request } from 'express';
import { DomainScope } from '../domains/domain-scope.js';
import { zodFindings } from '../http/error-handler.js';
import { badRequest, ProblemError } from '../http/problem.js';

/** Sent by the admin console's domain picker to work in one domain of the user's tree. */
const DOMAIN_HEADER = 'X-Lockstep-Domain';

/**
 * The domain a request works in: the user's own, or the one it names in
 * `X-Lockstep-Domain`, which must lie inside the user's own tree. A user may
 * narrow what it sees and touches, never widen it.
 */
export function workingDomain(req: Request, homeDomain: string): string {
  const asked = req.get(DOMAIN_HEADER);
  if (asked === undefined) return homeDomain;
  const parsed = domainName.safeParse(asked);
  if (!parsed.success) {
    throw badRequest('invalid-header', `${DOMAIN_HEADER} is not a domain; send a path such as global/acme, or leave the header out`, zodFindings(parsed.error, DOMAIN_HEADER));
  }
  if (!new DomainScope(homeDomain).sees(parsed.data)) {
    throw new ProblemError(403, 'outside-domain', 'Forbidden', `${DOMAIN_HEADER}: ${parsed.data} is outside your domain, ${homeDomain}; pick ${homeDomain} or a domain below it`);
  }
  return parsed.data;
}
