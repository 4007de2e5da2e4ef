import type { RunAs } from '@lockstep/flow';
import type { Request } from 'express';
import { challengeFor } from '../http/auth-challenge.js';
import { forbidden, unauthorized } from '../http/problem.js';
import { hasAnyRole, roles } from './roles.js';

/** Who is making a request, as authentication established it. */
export interface Principal {
  sysId: string;
  userName: string;
  roles: string[];
  /** The domain this request works in: the user's own, or one below it that the domain picker narrowed to. */
  domain: string;
  /** The user's own domain, the widest it may ever work in. */
  homeDomain: string;
}

/** The same user as a flow run acts as them: flows name the user `userId`, the API `sysId`. */
export function runAsOf({ sysId, userName, roles, domain }: Principal): RunAs {
  return { userId: sysId, userName, roles, domain };
}

/** A run works in one domain, so that is its home too. */
export function principalOfRun({ userId, userName, roles, domain }: RunAs): Principal {
  return { sysId: userId, userName, roles, domain, homeDomain: domain };
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw unauthorized('this route needs an authenticated user; send Basic credentials or a Bearer API token', challengeFor(req));
  return req.principal;
}

/** Throws 403 unless the caller has one of `required` (or admin). */
export function requireRole(req: Request, required: readonly string[], what: string): Principal {
  const principal = principalOf(req);
  if (!hasAnyRole(principal.roles, required)) {
    // Admin passes every check, so it is named once, last, however the caller listed it.
    const roleNames = [...new Set([...required.filter((role) => role !== roles.admin), roles.admin])];
    const needs = roleNames.length === 1 ? `the role ${roles.admin}` : `one of the roles ${roleNames.slice(0, -1).join(', ')} or ${roles.admin}`;
    throw forbidden(`${what} needs ${needs}; user ${principal.userName} has ${principal.roles.join(', ') || 'none'}. Ask an admin to grant one.`);
  }
  return principal;
}
