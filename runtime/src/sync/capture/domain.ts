/**
 * Domain separation: a configuration record applies to records in its own
 * domain and in the domains below it. Domains are paths (`global/acme/emea`),
 * and `global` is the top, so it covers every domain.
 */
export function domainCovers(configDomain: string, recordDomain: string): boolean {
  if (configDomain === 'global' || configDomain === recordDomain) return true;
  return recordDomain.startsWith(`${configDomain}/`);
}
