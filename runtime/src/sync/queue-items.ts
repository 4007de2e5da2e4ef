import type { DomainScope } from '../domains/domain-scope.js';
import type { Admission } from '../queue/keyed-work.js';
import type { Collection, DocumentStore, Sort } from '@lockstep/store';
import { QueueCounter } from './dashboard/queue-figures.js';
import { QueueErrorLog } from './dashboard/queue-error-log.js';
import type { QueueItem, QueueStatus } from './queue-item.js';
import { queueListStoreFilter, type QueueListFilter, type QueueListPage } from './queue-list-filter.js';
import { stepOf, type QueueMoveListener } from './queue-move.js';

/** Told of each item this process makes ready, so a worker hears of it at once instead of on its next scan. */
export type ReadyListener<T> = (item: T) => void;

/** Asked of each new item before it is stored: an admission when the queue's worker takes it at once (KeyedWorker.admit). */
export type Admitter<T> = (item: T) => Promise<Admission<T> | undefined>;

/** A new item as it is to be stored: ready, or claimed already under its admission. */
export interface NewItem<T> {
  doc: T;
  admission?: Admission<T>;
}

/**
 * What the outbound and the inbound queue have in common: their items, read
 * by id or by domain, the news of ready ones, and of every move an item
 * makes here (for the debug trace, the metrics and the dashboard's errors).
 */
export abstract class QueueItems<T extends QueueItem> {
  protected readonly items: Collection<T>;
  private readonly store: DocumentStore;
  /** Every failed attempt, retried or not, when it happened: the dashboard's error series. */
  readonly errors: QueueErrorLog;
  private readonly listeners: ReadyListener<T>[] = [];
  private readonly moveListeners: QueueMoveListener<T>[] = [];
  private admitter: Admitter<T> | undefined;

  constructor(store: DocumentStore, collection: string) {
    this.store = store;
    this.items = store.collection<T>(collection);
    this.errors = new QueueErrorLog(store, `${collection}_errors`);
    this.onMove((move) => this.errors.record(move));
  }

  onReady(listener: ReadyListener<T>): void {
    this.listeners.push(listener);
  }

  onMove(listener: QueueMoveListener<T>): void {
    this.moveListeners.push(listener);
  }

  /** The queue's worker, asked of each new item whether it takes it at once: then the item is stored claimed, and no claim follows. */
  admitWith(admitter: Admitter<T>): void {
    this.admitter = admitter;
  }

  /** `ready`, a new item, claimed for the worker when it takes it at once. */
  protected async admitted(ready: T): Promise<NewItem<T>> {
    const admission = await this.admitter?.(ready);
    if (!admission) return { doc: ready };
    return { doc: { ...ready, ...this.claimSet(ready, admission.startedAt, admission.leaseUntil) }, admission };
  }

  /** A new item, stored: announced if ready, or worked under its admission; its moves told, its claim as it begins. */
  protected stored(item: T, admission: Admission<T> | undefined): void {
    if (!admission) return this.queued(item);
    this.moved({ ...item, status: 'ready' }, null);
    admission.run(item, (startedAt) => {
      const began = { ...item, ...this.claimSet(item, startedAt, admission.leaseUntil) };
      this.moved(began, 'ready');
      return began;
    });
  }

  /** Tells the move listeners that `item` (as written) moved from `from` (null: it was just queued). */
  protected moved(item: T | null, from: QueueStatus | readonly QueueStatus[] | null): void {
    if (!item) return;
    const move = { step: stepOf(item.status, from), item, at: Date.now() };
    for (const listener of this.moveListeners) listener(move);
  }

  protected announce(item: T | null): void {
    if (item?.status === 'ready') for (const listener of this.listeners) listener(item);
  }

  /** A new item, just written: announced, and its move told. */
  protected queued(item: T): void {
    this.announce(item);
    this.moved(item, null);
  }

  /**
   * Ready → processing for the queue's worker until `leaseUntil`: one
   * compare-and-set by _id, so of several processes claiming at once one
   * gets it. Null when another claim (another process, an admin) got there
   * first.
   */
  async claim(item: T, now: number, leaseUntil: number): Promise<T | null> {
    const claimed = await this.items.findOneAndUpdate({ status: 'ready', _id: item._id }, { $set: this.claimSet(item, now, leaseUntil) });
    this.moved(claimed, 'ready');
    return claimed;
  }

  /**
   * The same claim, and the item as it was just before it (`prior`), for a
   * worker that asks whether any claim came before this one.
   */
  protected async claimWithPrior(item: T, now: number, leaseUntil: number): Promise<{ claimed: T; prior: T } | null> {
    const set = this.claimSet(item, now, leaseUntil);
    const prior = await this.items.findOneAndUpdate({ status: 'ready', _id: item._id }, { $set: set }, { returnDocument: 'before' });
    if (!prior) return null;
    const claimed = { ...prior, ...set };
    this.moved(claimed, 'ready');
    return { claimed, prior };
  }

  private claimSet(item: T, now: number, leaseUntil: number): Partial<T> {
    return { ...this.claimFields(item, now), status: 'processing', started_at: now, lease_until: leaseUntil };
  }

  /** What else a claim sets, besides the status, start and lease. */
  protected claimFields(_item: T, _now: number): Partial<T> {
    return {};
  }

  /**
   * Processing → where its work left it (processed, error, or ready again
   * for a retry), written by the worker that holds `claimed`: one update by
   * `_id`, the item as written made from the claimed one. Null when it was
   * no longer processing (an admin moved it meanwhile).
   */
  async settle(claimed: T, set: Partial<T>): Promise<T | null> {
    const { matchedCount } = await this.items.updateOne({ _id: claimed._id, status: 'processing' }, { $set: set });
    if (matchedCount === 0) return null;
    const settled = { ...claimed, ...set };
    this.settled(settled);
    return settled;
  }

  /** An item its worker settled: announced when ready again, its move told. */
  protected settled(item: T): void {
    this.announce(item);
    this.moved(item, 'processing');
  }

  /**
   * Processing → ready, unrun: an item admitted ahead of its turn that its
   * turn did not take (KeyedWork.release). Announced, and no move told: it
   * was queued, and waits still.
   */
  async release(claimed: T): Promise<void> {
    const set: Partial<QueueItem> = { status: 'ready', started_at: null, lease_until: null };
    const { matchedCount } = await this.items.updateOne({ _id: claimed._id, status: 'processing' }, { $set: set });
    if (matchedCount > 0) this.announce({ ...claimed, ...set });
  }

  /** Extends the claim of an item still being worked. */
  async renewClaim(item: T, leaseUntil: number): Promise<void> {
    await this.items.updateOne({ status: 'processing', _id: item._id }, { $set: { lease_until: leaseUntil } });
  }

  /** Whether every item made ready in the store was announced here: while no other process writes it. */
  announcesAll(): boolean {
    return this.store.aloneSince() !== undefined;
  }

  /**
   * The ready item of `worked`'s key with the lowest sequence, read by key
   * from the index on key and sequence, for the worker to hold when another
   * process queued it. None is read while this process writes its database
   * alone: every item it queued, it announced.
   */
  async nextReady(worked: T): Promise<T | null> {
    if (this.announcesAll()) return null;
    return this.items.findOne({ correlation_key: worked.correlation_key, status: 'ready' }, { sort: { sequence: 1 } });
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

  /** Up to `limit` items in `status` queued before `before`, oldest first, from the index on state and creation time. */
  queuedBefore(status: QueueStatus, before: number, limit: number): Promise<T[]> {
    return this.items.find({ status, created_at: { $lt: before } }, { sort: { created_at: 1 }, limit });
  }

  /** Deletes these items, those still in `status` only (not one a worker or an admin moved meanwhile); how many. */
  remove(items: readonly T[], status: QueueStatus): Promise<number> {
    return this.items.deleteMany({ _id: { $in: items.map((item) => item._id) }, status });
  }

  /** Items in `status` to `remoteSystem`: a queue depth of the metrics, counted when they are scraped. */
  depth(status: QueueStatus, remoteSystem: string): Promise<number> {
    return this.items.countDocuments({ status, remote_system: remoteSystem });
  }

  /** One page of the list admins read, in the page's order or else `order`, and how many items the filter finds. */
  async page(filter: QueueListFilter, { limit, offset, order }: QueueListPage, defaultOrder: Sort): Promise<{ items: T[]; total: number }> {
    const query = queueListStoreFilter(filter);
    const [items, total] = await Promise.all([this.items.find(query, { sort: order ?? defaultOrder, limit, skip: offset }), this.items.countDocuments(query)]);
    return { items, total };
  }

  /** Its figures for the stats and the dashboard, as `scope` sees them. */
  counter(scope: DomainScope): QueueCounter {
    return new QueueCounter(this.items, this.errors, scope);
  }
}

/** Either queue as the operations tooling sees it (metrics, trace, retention), whatever its items' own fields. */
export type ObservedQueue = Pick<QueueItems<QueueItem>, 'onMove' | 'depth' | 'queuedBefore' | 'remove' | 'errors'>;
