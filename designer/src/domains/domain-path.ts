/*
 * Domains are paths below `global` (`global/acme/emea`); a path that does not
 * begin with `global` hangs directly below it. The runtime's domain tree
 * decides what a user may see and use; the designer asks the same questions
 * only to offer what the runtime would accept.
 */

/** Whether `owner` is a parent of `domain`, at any height: a subflow of its is used from `domain` but not changed there. */
export function isAbove(owner: string, domain: string): boolean {
  if (owner === domain) return false;
  return owner === 'global' || domain.startsWith(`${owner}/`);
}

/** Whether `domain` is `viewer` or below it: what a user working in `viewer` sees, and a subflow in `viewer` may be used from. */
export function covers(viewer: string, domain: string): boolean {
  return viewer === domain || isAbove(viewer, domain);
}
