/**
 * The domain tree. A domain is a path of names (`global/acme/emea`); its
 * parent is the path without its last name, and `global` is the root above
 * every other domain, so a path that does not begin with `global` (`acme`)
 * hangs directly below it.
 */
export const GLOBAL_DOMAIN = 'global';

/** The domain directly above `domain`; null for `global`. */
export function parentDomain(domain: string): string | null {
  if (domain === GLOBAL_DOMAIN) return null;
  const slash = domain.lastIndexOf('/');
  return slash === -1 ? GLOBAL_DOMAIN : domain.slice(0, slash);
}

/** `domain` and every domain above it, nearest first, ending with `global`. */
export function lineage(domain: string): string[] {
  const domains: string[] = [];
  for (let current: string | null = domain; current !== null; current = parentDomain(current)) domains.push(current);
  return domains;
}

/** Whether `domain` is `viewer` or below it: what a user in `viewer` sees, and what a configuration in `viewer` applies to. */
export function covers(viewer: string, domain: string): boolean {
  if (viewer === GLOBAL_DOMAIN || viewer === domain) return true;
  return domain.startsWith(`${viewer}/`);
}

/** Whether something of `owner`'s (a subflow) may be used from `current`: it is `current`'s own or a parent's. */
export function usableFrom(current: string, owner: string): boolean {
  return covers(owner, current);
}
