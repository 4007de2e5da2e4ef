import type { QueueItem } from './queue-item.js';

/** What an item's API answer says of the item it waits behind (`waiting_for`), or null when it waits for none. */
export interface WaitingForView {
  sys_id: string;
  sequence: number;
  status: QueueItem['status'];
  /** Why that item is held up, when it failed: its error, or its last failed attempt's. */
  error: string | null;
}

export function waitingForView<T extends QueueItem>(blocker: T | null, errorOf: (item: T) => string | null): WaitingForView | null {
  return blocker && { sys_id: blocker._id, sequence: blocker.sequence, status: blocker.status, error: errorOf(blocker) };
}
