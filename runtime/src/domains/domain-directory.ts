import type { DomainEntry } from '@lockstep/schema';
import { Router } from 'express';
import { principalOf, requireRole } from '../auth/principal.js';
import { roles } from '../auth/roles.js';
import type { DocumentStore } from '@lockstep/store';
import { DomainScope } from './domain-scope.js';
import { lineage, parentDomain } from './domain-tree.js';

/** Where domains come to exist: a domain is on the map once a user, a process sync definition or a subflow lives in it. */
const DOMAIN_HOLDERS = ['sys_user', 'sync_definition', 'sys_hub_flow'] as const;

/** Every domain some record lives in under `home`, with the domains between them and `home`. */
async function domainsIn(store: DocumentStore, home: string): Promise<Set<string>> {
  const scope = new DomainScope(home);
  const held = await Promise.all(DOMAIN_HOLDERS.map((name) => store.collection(name).find(scope.visible(), { projection: { sys_domain: 1 } })));
  const domains = new Set([home]);
  for (const { sys_domain: domain } of held.flat()) {
    // Records from before their collection had domains have none to place.
    if (typeof domain !== 'string') continue;
    for (const step of lineage(domain)) {
      if (domains.has(step)) break;
      domains.add(step);
    }
  }
  return domains;
}

/** `domains` as a tree below `home`: each parent before its children, siblings by name. */
function inTreeOrder(domains: Set<string>, home: string): DomainEntry[] {
  const children = new Map<string, string[]>();
  for (const name of domains) {
    const parent = parentDomain(name);
    if (name === home || parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), name]);
  }
  const entries: DomainEntry[] = [];
  const visit = (name: string, depth: number) => {
    entries.push({ name, parent: parentDomain(name), label: name.slice(name.lastIndexOf('/') + 1), depth });
    for (const child of (children.get(name) ?? []).sort()) visit(child, depth + 1);
  };
  visit(home, 0);
  return entries;
}

/**
 * `GET /domains`: the domains the caller's home domain sees, for the admin
 * console's domain picker. From the home domain, not the one the request
 * narrowed to, so the picker can always widen back.
 */
export function domainRoutes(store: DocumentStore): Router {
  const router = Router();
  router.get('/domains', async (req, res) => {
    requireRole(req, [roles.processSync], 'listing domains');
    const home = principalOf(req).homeDomain;
    res.json({ result: inTreeOrder(await domainsIn(store, home), home) });
  });
  return router;
}
