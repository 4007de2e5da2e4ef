import type { DomainScope } from '../domains/domain-scope.js';
import type { Filter } from '../store/port.js';
import type { QueueStatus } from './queue-item.js';

/** What admins narrow either queue's list by, and whose items they may see. */
export interface QueueListFilter {
  status?: QueueStatus;
  remote_system?: string;
  process_event?: string;
  /** Epoch ms bounds on created_at, inclusive. */
  created_after?: number;
  created_before?: number;
  /** The caller's domains: its items and those of the domains below it. Omitted, every item (the runtime's own look-ups). */
  scope?: DomainScope;
}

export function queueListStoreFilter({ created_after, created_before, scope, ...fields }: QueueListFilter): Filter {
  const filter: Filter = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  if (created_after !== undefined || created_before !== undefined) {
    filter.created_at = { ...(created_after !== undefined && { $gte: created_after }), ...(created_before !== undefined && { $lte: created_before }) };
  }
  return scope === undefined ? filter : scope.visible(filter);
}
