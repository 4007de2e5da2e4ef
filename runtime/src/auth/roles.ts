import { roles } from '@lockstep/schema';

export { roles };

/** Admin passes every role check, as in the original. */
export function hasAnyRole(userRoles: readonly string[], required: readonly string[]): boolean {
  return userRoles.includes(roles.admin) || required.some((role) => userRoles.includes(role));
}

/** The roles of `wanted` that `holder` does not hold itself, and so may not hand out. */
export function rolesNotHeld(holder: readonly string[], wanted: readonly string[]): string[] {
  return wanted.filter((role) => !hasAnyRole(holder, [role]));
}
