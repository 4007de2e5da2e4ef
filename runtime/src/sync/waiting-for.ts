import type { WaitingFor } from '@lockstep/schema';
import type { QueueItem } from './queue-item.js';

/** What an item's API answer says of the item it waits behind (`waiting_for`), or null when it waits for none. */
export function waitingForView<T extends QueueItem>(blocker: T | null, errorOf: (item: T) => string | null): WaitingFor | null {
  return blocker && { sys_id: blocker._id, sequence: blocker.sequence, status: blocker.status, error: errorOf(blocker) };
}
