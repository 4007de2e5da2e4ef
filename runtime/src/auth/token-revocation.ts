import type { UserUpdate } from '@lockstep/schema';
import type { StoredUser } from './user-store.js';

function sameRoles(before: readonly string[], after: readonly string[]): boolean {
  const held = new Set(before);
  const wanted = new Set(after);
  return held.size === wanted.size && [...wanted].every((role) => held.has(role));
}

/**
 * Whether `change` ends the user's API tokens. A token was issued to the user
 * as it was: after a new password (the old one may have leaked, and with it
 * the tokens made with it), other roles, another domain or deactivation, the
 * user must get a new one.
 */
export function endsTokens(before: StoredUser, change: UserUpdate): boolean {
  return (
    change.password !== undefined ||
    (change.roles !== undefined && !sameRoles(before.roles, change.roles)) ||
    (change.sys_domain !== undefined && change.sys_domain !== before.sys_domain) ||
    (change.active === false && before.active)
  );
}
