import { escapeRegExp } from '../store/escape-regexp.js';
import type { Filter } from '../store/port.js';

/**
 * Domain separation. Domains are paths (`global/acme/emea`) and `global` is
 * the top. A user sees, and a configuration record applies to, records in
 * its own domain and in the domains below it.
 */
export function domainCovers(domain: string, recordDomain: string): boolean {
  if (domain === 'global' || domain === recordDomain) return true;
  return recordDomain.startsWith(`${domain}/`);
}

/** The store filter for the documents `domain` covers; null for `global`, which covers all (no filter, no cost). */
export function domainFilter(domain: string): Filter | null {
  if (domain === 'global') return null;
  return { $or: [{ sys_domain: domain }, { sys_domain: { $regex: new RegExp(`^${escapeRegExp(domain)}/`) } }] };
}

/** `filter`, narrowed to the documents `domain` covers. */
export function withinDomain(filter: Filter, domain: string): Filter {
  const scope = domainFilter(domain);
  return scope === null ? filter : { $and: [filter, scope] };
}
