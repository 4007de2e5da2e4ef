import type { DomainScope } from '../domains/domain-scope.js';
import type { Collection, DocumentStore, Sort } from '@lockstep/store';
import { QueueCounter } from './dashboard/queue-figures.js';
import type { QueueItem } from './queue-item.js';
import { queueListStoreFilter, type QueueListFilter, type QueueListPage } from './queue-list-filter.js';

/** Told of each item this process makes ready, so a worker hears of it at once instead of on its next scan. */
export type ReadyListener<T> = (item: T) => void;

/** What the outbound and the inbound queue have in common: their items, read by id or by domain, and the news of ready ones. */
export abstract class QueueItems<T extends QueueItem> {
  protected readonly items: Collection<T>;
  private readonly listeners: ReadyListener<T>[] = [];

  constructor(store: DocumentStore, collection: string) {
    this.items = store.collection<T>(collection);
  }

  onReady(listener: ReadyListener<T>): void {
    this.listeners.push(listener);
  }

  protected announce(item: T | null): void {
    if (item?.status === 'ready') for (const listener of this.listeners) listener(item);
  }

  get(id: string): Promise<T | null> {
    return this.items.findOne({ _id: id });
  }

  /** The item, when `scope` sees it; an item elsewhere is answered as missing. */
  async visible(id: string, scope: DomainScope): Promise<T | null> {
    const item = await this.get(id);
    return item && scope.sees(item.sys_domain) ? item : null;
  }

  /**
   * The first earlier item of the same key still to go (ready, processing or
   * in error): the one `item` waits behind, since both queues take a key's
   * items in sequence. Null for an item that is not waiting. One read, from
   * the correlation_key index.
   */
  waitingFor(item: T): Promise<T | null> {
    if (item.status !== 'ready') return Promise.resolve(null);
    return this.items.findOne({ correlation_key: item.correlation_key, sequence: { $lt: item.sequence }, status: { $in: ['ready', 'processing', 'error'] } }, { sort: { sequence: 1 } });
  }

  /** One page of the list admins read, in the page's order or else `order`, and how many items the filter finds. */
  async page(filter: QueueListFilter, { limit, offset, order }: QueueListPage, defaultOrder: Sort): Promise<{ items: T[]; total: number }> {
    const query = queueListStoreFilter(filter);
    const [items, total] = await Promise.all([this.items.find(query, { sort: order ?? defaultOrder, limit, skip: offset }), this.items.countDocuments(query)]);
    return { items, total };
  }

  /** Its figures for the stats and the dashboard, as `scope` sees them. */
  counter(scope: DomainScope): QueueCounter {
    return new QueueCounter(this.items, scope);
  }
}
