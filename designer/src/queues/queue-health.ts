import type { QueueItem, WaitingFor } from '../api/queues';

/**
 * Whether an item is going as it should, in words an admin acts on. An
 * outbound item whose sends fail stays ready (it keeps its place in line)
 * while it retries, and when its link goes to error its retries are reset
 * (it waits for the link, not a retry time): by status alone it would look
 * fine, so its last error decides.
 */
export type QueueHealth =
  | { kind: 'in-error'; error: string }
  | { kind: 'retrying'; error: string; attempts: number; nextAttemptAt: number }
  | { kind: 'stuck'; error: string }
  | { kind: 'fine' };

export function healthOf(item: QueueItem): QueueHealth {
  if (item.status === 'error') return { kind: 'in-error', error: item.error_info ?? item.retry?.last_error ?? 'no error was recorded' };
  const retry = item.retry;
  if (item.status !== 'ready' || !retry?.last_error) return { kind: 'fine' };
  if (retry.next_attempt_at !== null) return { kind: 'retrying', error: retry.last_error, attempts: retry.attempts, nextAttemptAt: retry.next_attempt_at };
  return { kind: 'stuck', error: retry.last_error };
}

/** How the item an item waits behind stands, in a word: the runtime gives its status and its error only. */
export function blockerState(blocker: WaitingFor): string {
  if (blocker.status === 'error') return 'in error';
  if (blocker.error !== null) return 'stuck';
  return blocker.status;
}
