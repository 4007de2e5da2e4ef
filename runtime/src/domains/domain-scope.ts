import { escapeRegExp, type Filter } from '@lockstep/store';
import { covers, GLOBAL_DOMAIN, lineage, usableFrom } from './domain-tree.js';

/**
 * Domain separation as one value: what a user, a run or a configuration
 * record in `domain` may see and use. Every read and write path asks it,
 * for a single document (`sees`) or as a store filter (`visible`), so no
 * route filters by domain on its own.
 */
export class DomainScope {
  constructor(readonly domain: string) {}

  /** Whether a document in `domain` is this scope's: in its domain or below it. */
  sees(domain: string): boolean {
    return covers(this.domain, domain);
  }

  /** Whether what lives in `domain` (a subflow) may be used from here: this domain's own or a parent's. */
  uses(domain: string): boolean {
    return usableFrom(this.domain, domain);
  }

  /** Whether this scope can see, use or both: what a subflow list shows. */
  reaches(domain: string): boolean {
    return this.sees(domain) || this.uses(domain);
  }

  /** `filter`, narrowed to the documents this scope sees; `global` sees all, with no filter and no cost. */
  visible(filter: Filter = {}): Filter {
    if (this.domain === GLOBAL_DOMAIN) return filter;
    const scope: Filter = { $or: [{ sys_domain: this.domain }, { sys_domain: { $regex: new RegExp(`^${escapeRegExp(this.domain)}/`) } }] };
    return Object.keys(filter).length === 0 ? scope : { $and: [filter, scope] };
  }

  /** `filter`, narrowed to the documents this scope sees or may use (a subflow list). */
  reachable(filter: Filter = {}): Filter {
    if (this.domain === GLOBAL_DOMAIN) return filter;
    const scope: Filter = { $or: [this.visible(), { sys_domain: { $in: lineage(this.domain) } }] };
    return Object.keys(filter).length === 0 ? scope : { $and: [filter, scope] };
  }
}

/** The scope of everything: the runtime's own look-ups. */
export const everyDomain = new DomainScope(GLOBAL_DOMAIN);

export function scopeOf(holder: { domain: string }): DomainScope {
  return new DomainScope(holder.domain);
}
