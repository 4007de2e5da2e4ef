import type { DomainScope } from '../../domains/domain-scope.js';
import type { Collection, Filter } from '@lockstep/store';
import { queueStatuses, type QueueFigures, type QueueStatus } from '@lockstep/schema';
import type { QueueItem } from '../queue-item.js';
import type { QueueErrorLog } from './queue-error-log.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Processed items per time bucket, by when they finished, and errors by when they happened, retried or not. */
export interface QueueSeries {
  processed: number[];
  errors: number[];
}

/** The time series the dashboard draws: bucket starts, oldest first and back to back, each `size` ms long. */
export interface Buckets {
  starts: readonly number[];
  size: number;
}

type Finished = Pick<QueueItem, 'finished_at' | 'processing_ms'>;

/**
 * Sums one queue up. The states are counts in the store; everything about
 * processed items (the windows, the mean processing time, the series) comes
 * from one read of the items processed in the period shown, as the store
 * has no sum, rather than from a count per window and per bucket. Errors
 * come from the queue's error log, which keeps the retried ones too.
 */
export class QueueCounter {
  constructor(
    private readonly items: Collection<QueueItem>,
    private readonly errors: QueueErrorLog,
    private readonly scope: DomainScope,
  ) {}

  private count(filter: Filter): Promise<number> {
    return this.items.countDocuments(this.scope.visible(filter));
  }

  private async latest(field: 'created_at' | 'finished_at', filter: Filter): Promise<number | null> {
    const found = await this.items.findOne(this.scope.visible(filter), { sort: { [field]: -1 }, projection: { [field]: 1 } });
    return typeof found?.[field] === 'number' ? found[field] : null;
  }

  private processedSince(since: number): Promise<Finished[]> {
    const filter = this.scope.visible({ status: 'processed', finished_at: { $gte: since } });
    return this.items.find(filter, { projection: { _id: 0, finished_at: 1, processing_ms: 1 } });
  }

  /** The queue's figures, and its series when `buckets` are given. */
  async figures(now: number): Promise<QueueFigures>;
  async figures(now: number, buckets: Buckets): Promise<QueueFigures & { series: QueueSeries }>;
  async figures(now: number, buckets?: Buckets): Promise<QueueFigures & { series?: QueueSeries }> {
    const since = Math.min(now - DAY, buckets?.starts[0] ?? now);
    const [counts, processed, errors, lastQueued, lastProcessed] = await Promise.all([
      Promise.all(queueStatuses.map(async (status) => [status, await this.count({ status })] as const)),
      this.processedSince(since),
      buckets ? this.errors.since(buckets.starts[0] ?? now, this.scope) : [],
      this.latest('created_at', {}),
      this.latest('finished_at', { status: 'processed' }),
    ]);
    const processedSince = (start: number) => processed.filter((item) => (item.finished_at ?? 0) >= start);
    const lastDay = processedSince(now - DAY);
    const times = lastDay.map((item) => item.processing_ms).filter((ms): ms is number => typeof ms === 'number');
    return {
      by_status: Object.fromEntries(counts) as Record<QueueStatus, number>,
      processed: { last_minute: processedSince(now - MINUTE).length, last_hour: processedSince(now - HOUR).length, last_day: lastDay.length },
      average_processing_ms_24h: times.length === 0 ? null : Math.round(times.reduce((sum, ms) => sum + ms, 0) / times.length),
      last_queued_at: lastQueued,
      last_processed_at: lastProcessed,
      ...(buckets && { series: { processed: countsPerBucket(processed.map((item) => item.finished_at ?? 0), buckets), errors: countsPerBucket(errors, buckets) } }),
    };
  }
}

/** How many of `times` fall in each bucket `[start, start + size)`. */
function countsPerBucket(times: readonly number[], { starts, size }: Buckets): number[] {
  const counts = starts.map(() => 0);
  const first = starts[0] ?? 0;
  for (const time of times) {
    const at = Math.floor((time - first) / size);
    if (at >= 0 && at < counts.length) counts[at]! += 1;
  }
  return counts;
}
