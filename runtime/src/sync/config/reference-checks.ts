import { isConditionGroup, type ConditionGroup, type SubflowKind } from '@lockstep/schema';
import type { UserStore } from '../../auth/user-store.js';
import { DomainScope } from '../../domains/domain-scope.js';
import type { TableDictionary } from '../../dictionary/dictionary.js';
import type { SubflowStore } from '../../flows/subflow-store.js';
import type { ProblemFinding } from '../../http/problem.js';
import type { SyncConfigStore } from './sync-config-store.js';

export interface ReferenceSources {
  config: SyncConfigStore;
  users: UserStore;
  subflows: SubflowStore;
  dictionary: TableDictionary;
}

const SYNC = '/api/lockstep/v1/sync';
const SUBFLOWS = '/api/lockstep/v1/subflows';
const USERS = '/api/lockstep/v1/users';

function finding(field: string, message: string): ProblemFinding[] {
  return [{ path: `body.${field}`, message }];
}

/** The field names a condition tree compares; a dotted path is checked by its first step, the record's own field. */
function conditionFields(group: ConditionGroup): string[] {
  return group.conditions.flatMap((node) => (isConditionGroup(node) ? conditionFields(node) : [node.field.split('.')[0] ?? node.field]));
}

/**
 * Whether what a configuration record points at exists and fits: each check
 * returns findings that name the body field and say how to put it right.
 */
export class ReferenceChecks {
  constructor(private readonly sources: ReferenceSources) {}

  /** A related record lives in its definition's domain; one elsewhere is another customer's, answered as missing. */
  async definition(id: string, domain: string): Promise<ProblemFinding[]> {
    if ((await this.sources.config.definitions.get(id))?.sys_domain === domain) return [];
    return finding('process_sync_definition', `there is no process sync definition with sys_id ${id} that you may use; GET ${SYNC}/definitions lists them`);
  }

  /** The process event must be one of the same definition's: its name is the link to the remote instance. */
  async processEvent(id: string, definitionId: string): Promise<ProblemFinding[]> {
    const event = await this.sources.config.processEvent(id);
    const choose = `pick one of this definition's process events (GET ${SYNC}/process-events?process_sync_definition=${definitionId})`;
    if (!event) return finding('process_event', `there is no process event with sys_id ${id}; ${choose}`);
    if (event.process_sync_definition !== definitionId) {
      return finding('process_event', `process event "${event.name}" (${id}) belongs to another process sync definition (${event.process_sync_definition}); ${choose}`);
    }
    return [];
  }

  async remoteSystem(id: string, definitionId: string): Promise<ProblemFinding[]> {
    const system = await this.sources.config.remoteSystem(id);
    const choose = `pick one of this definition's remote systems (GET ${SYNC}/remote-systems?process_sync_definition=${definitionId})`;
    if (!system) return finding('remote_system', `there is no remote system with sys_id ${id}; ${choose}`);
    if (system.process_sync_definition !== definitionId) {
      return finding('remote_system', `remote system "${system.name}" (${id}) belongs to another process sync definition (${system.process_sync_definition}); ${choose}`);
    }
    return [];
  }

  /**
   * The user must exist, be active and hold `role` itself: admin does not
   * stand in, these users should have no more than they need. It must also
   * be of the record's domain or below it: the queues and flows take its
   * domain, which must not reach past the configuration's.
   */
  async user(field: string, id: string, role: string, purpose: string, domain: string): Promise<ProblemFinding[]> {
    const user = await this.sources.users.byId(id);
    const scope = new DomainScope(domain);
    if (!user || !scope.sees(user.sys_domain)) return finding(field, `there is no user with sys_id ${id} in domain ${domain} or below it; create ${purpose} there first (POST ${USERS}) with the role ${role}`);
    if (!user.roles.includes(role)) {
      return finding(field, `user ${user.user_name} does not have the role ${role}, which ${purpose} needs; grant it (PATCH ${USERS}/${id} with ${role} added to its roles) or pick another user`);
    }
    if (!user.active) return finding(field, `user ${user.user_name} is inactive; activate it (PATCH ${USERS}/${id} with "active": true) or pick another user`);
    return [];
  }

  /**
   * Flows run the subflow's latest published version, so there must be one,
   * of the kind the flow runs, and of the record's domain or a parent's: a
   * customer may use what the provider shares above it, never another
   * customer's.
   */
  async subflow(field: string, id: string, kind: SubflowKind, domain: string): Promise<ProblemFinding[]> {
    const list = `GET ${SUBFLOWS}?kind=${kind} lists them`;
    const head = await this.sources.subflows.get(id);
    if (!head || !new DomainScope(domain).reaches(head.sys_domain)) return finding(field, `there is no subflow with id ${id} in domain ${domain}, below it or above it; ${list}`);
    if (!new DomainScope(domain).uses(head.sys_domain)) {
      return finding(field, `subflow "${head.name}" (${id}) is in domain ${head.sys_domain}, below this record's ${domain}; a flow may use subflows of its own domain or a parent's: copy it into ${domain}`);
    }
    const published = await this.sources.subflows.latestPublished(id);
    if (!published) return finding(field, `subflow "${head.name}" (${id}) has never been published; publish it (POST ${SUBFLOWS}/${id}/publish) so there is a version to run`);
    if (published.kind !== kind) return finding(field, `subflow "${published.name}" (${id}) is of kind ${published.kind}; this needs one of kind ${kind} (${list})`);
    return [];
  }

  /** The source table must be in the dictionary, and the included and filtered fields on it. */
  captureFields(table: string, includeFields: readonly string[], filter: ConditionGroup): ProblemFinding[] {
    const resolved = this.sources.dictionary.get(table);
    if (!resolved) {
      const tables = this.sources.dictionary.list().map((known) => known.name).join(', ');
      return finding('source_table', `there is no table ${table}; capture works on the dictionary's tables: ${tables}`);
    }
    const unknownIn = (fields: readonly string[]) => [...new Set(fields.filter((field) => !resolved.fields.has(field)))];
    const unknownIncluded = unknownIn(includeFields);
    const unknownFiltered = unknownIn(conditionFields(filter));
    return [
      ...(unknownIncluded.length > 0 ? finding('include_fields', `table ${table} has no field${unknownIncluded.length === 1 ? '' : 's'} ${unknownIncluded.join(', ')}; include only fields of ${table}`) : []),
      ...(unknownFiltered.length > 0 ? finding('filter', `the filter compares field${unknownFiltered.length === 1 ? '' : 's'} that table ${table} does not have: ${unknownFiltered.join(', ')}`) : []),
    ];
  }
}
