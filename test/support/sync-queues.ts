import type { QueueStatus } from '../../runtime/src/sync/queue-item.js';
import { until } from '../../runtime/test/support/until.js';
import type { PairInstance } from './sync-pair.js';

export type QueueSide = 'inbound' | 'outbound';

/** A queue item as the admin API lists it: the fields these tests read. */
export interface ListedQueueItem {
  sys_id: string;
  status: QueueStatus;
  correlation_key: string;
  sequence: number;
  operation: string;
  /** The captured object (outbound) or the whole envelope (inbound), as JSON text. */
  payload_json: string;
  started_at: number | null;
  finished_at: number | null;
  error_info: string | null;
}

/** The admin lists give at most this many items a page. */
const PAGE = 1000;

/** Every item of one side's inbound or outbound queue, page by page; read once the queue is still, or pages may shift. */
export async function queueItems(side: PairInstance, which: QueueSide): Promise<ListedQueueItem[]> {
  const items: ListedQueueItem[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { body } = await side.api.call('GET', `/api/lockstep/v1/sync/${which}-queue?limit=${PAGE}&offset=${offset}`);
    items.push(...(body.result as ListedQueueItem[]));
    if (body.result.length < PAGE) return items;
  }
}

/** How many items of one side's queue are in each state. */
export async function queueCounts(side: PairInstance, which: QueueSide): Promise<Record<QueueStatus, number>> {
  return (await side.api.call('GET', `/api/lockstep/v1/sync/${which}-queue/stats`)).body.result.by_status;
}

/** Fails at once, naming the items, when a queue holds items in error: waiting longer would only time out. */
async function refuseErrors(side: PairInstance, which: QueueSide, counts: Record<QueueStatus, number>): Promise<void> {
  if (counts.error === 0) return;
  const { body } = await side.api.call('GET', `/api/lockstep/v1/sync/${which}-queue?status=error&limit=5`);
  const items = (body.result as ListedQueueItem[]).map((item) => `${item.correlation_key} #${item.sequence}: ${item.error_info}`);
  throw new Error(`${side.name}'s ${which} queue holds items in error (${counts.error} at the count), e.g. ${items.join('; ')}`);
}

/**
 * A probe for `until`: true once A's outbound queue and B's inbound queue
 * have each processed `expected` items, so every captured change was sent
 * and applied; the caller's checks of the items find any left over.
 */
export function allSentAndApplied(a: PairInstance, b: PairInstance, expected: number): () => Promise<true | undefined> {
  return async () => {
    const [sent, applied] = await Promise.all([queueCounts(a, 'outbound'), queueCounts(b, 'inbound')]);
    await refuseErrors(a, 'outbound', sent);
    await refuseErrors(b, 'inbound', applied);
    // More processed than changes can only mean a change applied twice; waiting would hide it behind a timeout.
    // (Processed alone: the per-state counts are separate queries, so their sum may count a moving item twice.)
    if (sent.processed > expected || applied.processed > expected) {
      throw new Error(`expected ${expected} changes, but A's outbound queue processed ${sent.processed} and B's inbound queue ${applied.processed}`);
    }
    const done = (counts: Record<QueueStatus, number>) => counts.processed === expected;
    return done(sent) && done(applied) ? true : undefined;
  };
}

/** What one side's queue holds besides processed items: its counts, and the first few such items, for a timeout's message. */
async function leftOver(side: PairInstance, which: QueueSide): Promise<string> {
  const counts = await queueCounts(side, which);
  const items = (await queueItems(side, which)).filter((item) => item.status !== 'processed').slice(0, 5);
  const named = items.map((item) => `${item.correlation_key} #${item.sequence} ${item.status}${item.error_info ? ` (${item.error_info})` : ''}`);
  return `${side.name}'s ${which} queue ${JSON.stringify(counts)}${named.length > 0 ? `, e.g. ${named.join('; ')}` : ''}`;
}

/**
 * Waits until A's outbound and B's inbound queues have each processed
 * `expected` items (as `allSentAndApplied`); on a timeout, says where each
 * queue stood, so a stall shows which side held what.
 */
export async function untilAllSentAndApplied(a: PairInstance, b: PairInstance, expected: number, timeoutMs: number, everyMs?: number): Promise<void> {
  const what = async () => {
    const where = await Promise.all([leftOver(a, 'outbound'), leftOver(b, 'inbound')]).catch((reading: unknown) => [`(the queues could not be read: ${String(reading)})`]);
    return `A has sent and B has applied all ${expected} changes; ${where.join('; ')}`;
  };
  await until(allSentAndApplied(a, b, expected), what, timeoutMs, everyMs);
}
