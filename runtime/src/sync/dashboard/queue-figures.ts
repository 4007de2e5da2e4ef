import { withinDomain } from '../../auth/domain-scope.js';
import type { Collection, Filter } from '../../store/port.js';
import { queueStatuses, type QueueItem, type QueueStatus } from '../queue-item.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** What the dashboard shows of one queue, in the caller's domain and below. Times are epoch ms. */
export interface QueueFigures {
  by_status: Record<QueueStatus, number>;
  processed: { last_minute: number; last_hour: number; last_day: number };
  /** Mean processing time of the items processed in the last 24 hours; null when there were none. */
  average_processing_ms_24h: number | null;
  last_queued_at: number | null;
  last_processed_at: number | null;
}

/** Processed and failed items per time bucket, by when they finished. */
export interface QueueSeries {
  processed: number[];
  errors: number[];
}

/**
 * Counts one queue's items, store-side: each figure is a count or a single
 * sorted look-up, so no list of items is read into memory. The average is
 * the exception the store port leaves (it has no sum): it reads only the
 * processing time of the items processed in the last day.
 */
export class QueueCounter {
  constructor(
    private readonly items: Collection<QueueItem>,
    private readonly domain: string,
  ) {}

  private count(filter: Filter): Promise<number> {
    return this.items.countDocuments(withinDomain(filter, this.domain));
  }

  private async latest(field: 'created_at' | 'finished_at', filter: Filter): Promise<number | null> {
    const found = await this.items.findOne(withinDomain(filter, this.domain), { sort: { [field]: -1 }, projection: { [field]: 1 } });
    return typeof found?.[field] === 'number' ? found[field] : null;
  }

  private async averageProcessingMs(since: number): Promise<number | null> {
    const filter = withinDomain({ status: 'processed', finished_at: { $gte: since } }, this.domain);
    const times = (await this.items.find(filter, { projection: { _id: 0, processing_ms: 1 } })).map((item) => item.processing_ms).filter((ms): ms is number => typeof ms === 'number');
    return times.length === 0 ? null : Math.round(times.reduce((sum, ms) => sum + ms, 0) / times.length);
  }

  async figures(now: number): Promise<QueueFigures> {
    const processedSince = (since: number) => this.count({ status: 'processed', finished_at: { $gte: since } });
    const [counts, lastMinute, lastHour, lastDay, average, lastQueued, lastProcessed] = await Promise.all([
      Promise.all(queueStatuses.map(async (status) => [status, await this.count({ status })] as const)),
      processedSince(now - MINUTE),
      processedSince(now - HOUR),
      processedSince(now - DAY),
      this.averageProcessingMs(now - DAY),
      this.latest('created_at', {}),
      this.latest('finished_at', { status: 'processed' }),
    ]);
    return {
      by_status: Object.fromEntries(counts) as Record<QueueStatus, number>,
      processed: { last_minute: lastMinute, last_hour: lastHour, last_day: lastDay },
      average_processing_ms_24h: average,
      last_queued_at: lastQueued,
      last_processed_at: lastProcessed,
    };
  }

  /** One count per bucket and outcome, each bucket `[start, start + size)`. */
  async series(starts: readonly number[], bucketMs: number): Promise<QueueSeries> {
    const finishedIn = (status: QueueStatus, start: number) => this.count({ status, finished_at: { $gte: start, $lt: start + bucketMs } });
    const [processed, errors] = await Promise.all([Promise.all(starts.map((start) => finishedIn('processed', start))), Promise.all(starts.map((start) => finishedIn('error', start)))]);
    return { processed, errors };
  }
}
