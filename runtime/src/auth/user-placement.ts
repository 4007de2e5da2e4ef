import { scopeOf } from '../domains/domain-scope.js';
import { ProblemError } from '../http/problem.js';
import type { Principal } from './principal.js';
import { roles, rolesNotHeld } from './roles.js';

/** A user as a create or update would leave it: where it lives and what it may do. */
export interface Placement {
  roles: readonly string[];
  sys_domain: string;
}

function refused(slug: string, detail: string): ProblemError {
  return new ProblemError(403, slug, 'Forbidden', detail);
}

/**
 * What an admin may make of a user, checked before anything is written: it
 * hands out only roles it holds itself, and keeps the user inside its own
 * domain tree, so no admin can create or promote someone who reaches further
 * than it does. `granted` are the roles the write adds.
 */
export function assertMayPlace(caller: Principal, user: Placement, granted: readonly string[]): void {
  const notHeld = rolesNotHeld(caller.roles, granted);
  if (notHeld.length > 0) {
    throw refused('role-not-held', `you cannot grant ${notHeld.join(', ')}: you do not hold it yourself. Ask an admin who does.`);
  }
  const scope = scopeOf(caller);
  if (scope.sees(user.sys_domain)) return;
  if (user.roles.includes(roles.admin) && scope.uses(user.sys_domain)) {
    throw refused(
      'admin-above-domain',
      `an admin in ${scope.domain} cannot make or keep an admin in ${user.sys_domain}, above its own domain. Give the user ${scope.domain} or a domain below it, or ask an admin of ${user.sys_domain}.`,
    );
  }
  throw refused('outside-domain', `the domain ${user.sys_domain} is outside yours, ${scope.domain}. Give the user ${scope.domain} or a domain below it.`);
}
