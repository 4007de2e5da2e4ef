import type { DomainScope } from '../../domains/domain-scope.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { QueueCounter } from './queue-figures.js';

/** A queue that can sum itself up as a domain sees it. */
interface CountedQueue {
  counter(scope: DomainScope): QueueCounter;
}

/**
 * One queue summed up for admins (its `/stats` route): the dashboard's
 * figures of that queue, and the remote systems whose state in that
 * direction is Error; all of it in the caller's domain and below.
 */
export async function queueStats(queue: CountedQueue, config: SyncConfigStore, direction: 'inbound' | 'outbound', scope: DomainScope, now: number = Date.now()) {
  const state = direction === 'outbound' ? 'outbound_state' : 'inbound_state';
  const [figures, inError] = await Promise.all([queue.counter(scope).figures(now), config.remoteSystems.find(scope.visible({ [state]: 'error' }))]);
  return { ...figures, remote_systems_in_error: inError.map((remote) => ({ sys_id: remote._id, name: remote.name, [state]: remote[state] })) };
}
