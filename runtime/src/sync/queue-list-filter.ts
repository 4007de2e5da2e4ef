import { queueListQuerySchema, queueStatuses, type FieldDefinition } from '@lockstep/schema';
import type { ResolvedTable } from '../dictionary/dictionary.js';
import type { DomainScope } from '../domains/domain-scope.js';
import { parseQueryParams } from '../http/parse.js';
import type { Filter, Sort } from '@lockstep/store';
import { parseQuery } from '../table/list-params.js';
import type { QueueStatus } from './queue-item.js';

/** What admins narrow either queue's list by, and whose items they may see. */
export interface QueueListFilter {
  status?: QueueStatus;
  remote_system?: string;
  process_event?: string;
  /** Epoch ms bounds on created_at, inclusive. */
  created_after?: number;
  created_before?: number;
  /** A `sysparm_query`, read into a store filter. */
  where?: Filter;
  /** The caller's domains: its items and those of the domains below it. Omitted, every item (the runtime's own look-ups). */
  scope?: DomainScope;
}

/** Items per page when the caller names no limit. */
/** Items per page when the caller names no limit. */
const DEFAULT_PAGE = 100;

/** One page of a queue's list, and its order: the query's ORDERBY terms, else the queue's own. */
export interface QueueListPage {
  limit: number;
  offset: number;
  order?: Sort;
}

export function queueListStoreFilter({ created_after, created_before, scope, where, ...fields }: QueueListFilter): Filter {
  const filter: Filter = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  if (created_after !== undefined || created_before !== undefined) {
    filter.created_at = { ...(created_after !== undefined && { $gte: created_after }), ...(created_before !== undefined && { $lte: created_before }) };
  }
  const narrowed = where === undefined || Object.keys(where).length === 0 ? filter : Object.keys(filter).length === 0 ? where : { $and: [filter, where] };
  return scope === undefined ? narrowed : scope.visible(narrowed);
}

const field = (name: string, label: string, type: 'string' | 'integer'): FieldDefinition => ({ name, label, type });
/** Times are epoch ms in the queues (not the Table API's date-times), so they compare as numbers. */
const times = ['created_at', 'started_at', 'finished_at', 'time_in_queue_ms', 'processing_ms'].map((name) => field(name, name, 'integer'));

/**
 * The fields both queues' items have, as an encoded query sees them: what
 * `sysparm_query` may name on a queue list, read by the Table API's parser.
 */
const queueItemFields: ReadonlyMap<string, FieldDefinition> = new Map(
  [
    { name: 'status', label: 'Status', type: 'choice', choices: queueStatuses.map((status) => ({ value: status, label: status })) },
    { name: 'operation', label: 'Operation', type: 'choice', choices: ['insert', 'update', 'delete'].map((value) => ({ value, label: value })) },
    field('process_event', 'Process event', 'string'),
    field('remote_system', 'Remote system', 'string'),
    field('correlation_key', 'Correlation key', 'string'),
    field('sequence', 'Sequence', 'integer'),
    field('sys_domain', 'Domain', 'string'),
    field('error_info', 'Error info', 'string'),
    ...times,
  ].map((definition) => [definition.name, definition as FieldDefinition]),
);

const queueItemTable: ResolvedTable = {
  name: 'queue item',
  label: 'Queue item',
  storage: 'sync_queue',
  classes: [],
  lineage: [],
  numberPrefix: undefined,
  roles: { read: [], write: [] },
  fields: queueItemFields,
};

/**
 * A queue list's parameters, as the Table API names them: `sysparm_query`
 * (an encoded query on the items' fields), `sysparm_limit` and
 * `sysparm_offset`; the named filters and the older `limit` and `offset`
 * still work, the sysparm_ ones winning.
 */
export function readQueueListParams(query: unknown, scope: DomainScope): { filter: QueueListFilter; page: QueueListPage } {
  const { sysparm_query, sysparm_limit, sysparm_offset, limit, offset, ...named } = parseQueryParams(queueListQuerySchema, query);
  const parsed = parseQuery(sysparm_query, queueItemTable, 'sysparm_query');
  const order = Object.keys(parsed.sort).length > 0 ? { ...parsed.sort, _id: 1 as const } : undefined;
  return {
    filter: { ...named, where: parsed.filter, scope },
    page: { limit: sysparm_limit ?? limit ?? DEFAULT_PAGE, offset: sysparm_offset ?? offset ?? 0, ...(order && { order }) },
  };
}
