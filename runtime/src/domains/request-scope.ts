import type { Request } from 'express';
import { principalOf } from '../auth/principal.js';
import { scopeOf, type DomainScope } from './domain-scope.js';

/** The domains the caller of `req` works in: its user's domain, or the one it narrowed to with the domain picker. */
export function requestScope(req: Request): DomainScope {
  return scopeOf(principalOf(req));
}
