import { queueItemDetailSchema, queueItemViewSchema, resultOf, type QueueAction, type QueueItemView, type QueueStatus } from '@lockstep/schema';
import type { ListQuery, QueueSide } from '../console/console-routes';
import { request } from './client';
import { fetchPage, searchOf } from './paged';

export { queueActions, queueStatuses } from '@lockstep/schema';
export type { QueueAction, QueueItemDetail, QueueStatus, WaitingFor } from '@lockstep/schema';

/** An outbound or inbound queue item: what both share, and each side's own fields. */
export type QueueItem = QueueItemView;

/** The states each action applies to, as the runtime enforces them; the console offers only those. */
export const actionAppliesTo: Record<QueueAction, readonly QueueStatus[]> = {
  retry: ['error'],
  skip: ['ready', 'error'],
  reprocess: ['processed', 'skipped'],
};

/** The flow context a queue item's run left, on either side. */
export const contextOf = (item: QueueItem): string | null => item.flow_context ?? item.transform_context ?? null;

const base = (side: QueueSide) => `/lockstep/v1/sync/${side}-queue`;
const one = resultOf(queueItemDetailSchema);
/** An action answers with the item as it is now, without its payload or what it waits behind. */
const acted = resultOf(queueItemViewSchema);

export const queueApi = {
  /** The page's `limit` and `offset` go as the Table API's sysparm_limit and sysparm_offset; the rest are the list's filters. */
  list: (side: QueueSide, { limit, offset, ...filters }: ListQuery) => fetchPage(queueItemViewSchema, `${base(side)}${searchOf({ ...filters, sysparm_limit: limit, sysparm_offset: offset })}`),
  get: async (side: QueueSide, id: string) => (await request(one, `${base(side)}/${encodeURIComponent(id)}`)).body.result,
  act: async (side: QueueSide, id: string, action: QueueAction) => (await request(acted, `${base(side)}/${encodeURIComponent(id)}/${action}`, { method: 'POST' })).body.result,
};
