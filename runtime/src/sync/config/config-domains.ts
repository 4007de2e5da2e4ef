import type { DomainScope } from '../../domains/domain-scope.js';
import { badRequest, ProblemError } from '../../http/problem.js';
import { relatedSummary, relatedToDefinition } from './related-records.js';
import type { StoredConfigRecord } from './stored-records.js';
import type { StoredProcessSyncDefinition, SyncConfigStore } from './sync-config-store.js';

const SYNC = '/api/lockstep/v1/sync';

function fieldOf(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined;
}

function withDomain(body: unknown, domain: string): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, sys_domain: domain } : body;
}

function outsideScope(label: string, domain: string, scope: DomainScope): ProblemError {
  return new ProblemError(403, 'outside-domain', 'Forbidden', `you work in domain ${scope.domain} and can put ${label} records there or below it, not in ${domain}`);
}

function notTheDefinitionsDomain(label: string, given: unknown, definition: StoredProcessSyncDefinition): ProblemError {
  return badRequest(
    'domain-not-definitions',
    `a ${label} lives in its process sync definition's domain, ${definition.sys_domain}, not ${String(given)}; leave sys_domain out, or make the record under a definition of that domain`,
    [{ path: 'body.sys_domain', message: `must be ${definition.sys_domain}, the domain of process sync definition "${definition.name}" (${definition._id})` }],
  );
}

/**
 * Domain separation for configuration records: a process sync definition
 * lives in a domain the caller sees, and everything related to it lives in
 * that same domain, so capture, queues and flows follow the definition's
 * domain without a record of it drifting into another customer's.
 */
export class ConfigDomains {
  constructor(private readonly config: SyncConfigStore) {}

  /** The definition a body names, when the caller sees it: one it does not is answered as missing. */
  private async visibleDefinition(id: unknown, scope: DomainScope): Promise<StoredProcessSyncDefinition | null> {
    if (typeof id !== 'string') return null;
    const definition = await this.config.definitions.get(id);
    return definition && scope.sees(definition.sys_domain) ? definition : null;
  }

  /**
   * A create body with its domain settled: a definition's defaults to the
   * caller's, a related record's to its definition's, which it may not
   * contradict (400). A definition the caller does not see is left to the
   * reference checks, which report it as missing, as it is for a record in
   * the caller's own domain.
   */
  async forCreate(label: string, inDefinition: boolean, body: unknown, scope: DomainScope): Promise<unknown> {
    const given = fieldOf(body, 'sys_domain');
    if (!inDefinition) return given === undefined ? withDomain(body, scope.domain) : body;
    const definition = await this.visibleDefinition(fieldOf(body, 'process_sync_definition'), scope);
    if (!definition) return given === undefined ? withDomain(body, scope.domain) : body;
    if (given !== undefined && given !== definition.sys_domain) throw notTheDefinitionsDomain(label, given, definition);
    return withDomain(body, definition.sys_domain);
  }

  /** After parsing: the domain a record is created in must be one the caller sees. */
  checkCreated(label: string, record: { sys_domain: string }, scope: DomainScope): void {
    if (!scope.sees(record.sys_domain)) throw outsideScope(label, record.sys_domain, scope);
  }

  /**
   * A PATCH may move a process sync definition to another domain the caller
   * sees while nothing is related to it yet; a related record stays in its
   * definition's domain.
   */
  async checkPatch(label: string, inDefinition: boolean, current: StoredConfigRecord, patch: { sys_domain?: string }, scope: DomainScope): Promise<void> {
    const moved = patch.sys_domain;
    if (moved === undefined || moved === current.sys_domain) return;
    if (inDefinition) {
      throw badRequest('domain-not-definitions', `a ${label} lives in its process sync definition's domain, ${current.sys_domain}, and cannot move to ${moved}; leave sys_domain out`, [
        { path: 'body.sys_domain', message: `must be ${current.sys_domain}` },
      ]);
    }
    if (!scope.sees(moved)) throw outsideScope(label, moved, scope);
    const related = await relatedToDefinition(this.config, current._id);
    const summary = relatedSummary(related);
    if (summary !== '') {
      throw new ProblemError(
        409,
        'definition-has-related-records',
        'Conflict',
        `process sync definition ${current._id} still has ${summary}, which live in its domain ${current.sys_domain}; a definition moves to another domain only while it has none (GET ${SYNC}/definitions/${current._id}/related lists them)`,
      );
    }
  }
}
