/** What the dispatcher and the processor need of a queue item to order it. */
export interface KeyedItem {
  _id: string;
  correlation_key: string;
  sequence: number;
}

/**
 * Queue items this process knows to be ready, by correlation key and in
 * sequence order, so that a worker's pass looks at the keys that changed
 * instead of querying the whole queue. It is a hint, never the truth: the
 * store's compare-and-set claim decides, and a periodic scan of the queue
 * brings back whatever a hint missed (another process's items, a restart).
 *
 * A key is "stirred" when something may have moved it on: an item offered,
 * a run of the key finished, a scan. A pass takes the stirred keys; a key
 * that has to wait (a gap, a predecessor in error) stays quiet until stirred
 * again, so a long wait costs no pass anything.
 */
export class OfferedItems<T extends KeyedItem> {
  private readonly byKey = new Map<string, T[]>();
  private readonly stirred = new Set<string>();
  private count = 0;

  /** @param limit items held at most; beyond it offers are dropped, and the scan finds them. */
  constructor(private readonly limit: number) {}

  get size(): number {
    return this.count;
  }

  /** False when full. An item offered again replaces the one held (its state may have changed). */
  offer(item: T): boolean {
    if (!this.hold(item)) return false;
    this.stirred.add(item.correlation_key);
    return true;
  }

  /** Holds the item without stirring its key: it has to wait for something else to happen first. */
  hold(item: T): boolean {
    const items = this.byKey.get(item.correlation_key) ?? [];
    const at = items.findIndex((held) => held._id === item._id);
    if (at >= 0) items[at] = item;
    else {
      if (this.count >= this.limit) return false;
      items.push(item);
      items.sort((a, b) => a.sequence - b.sequence);
      this.count += 1;
      this.byKey.set(item.correlation_key, items);
    }
    return true;
  }

  /** Whether this item is held, in whatever state. */
  holds(item: T): boolean {
    return this.byKey.get(item.correlation_key)?.some((held) => held._id === item._id) ?? false;
  }

  /** The key's items held, lowest sequence first. */
  itemsOf(key: string): readonly T[] {
    return this.byKey.get(key) ?? [];
  }

  /** Forgets an item: taken, or no longer ready. */
  drop(item: T): void {
    const items = this.byKey.get(item.correlation_key);
    const at = items?.findIndex((held) => held._id === item._id) ?? -1;
    if (!items || at < 0) return;
    items.splice(at, 1);
    this.count -= 1;
    if (items.length === 0) this.byKey.delete(item.correlation_key);
  }

  stir(key: string): void {
    if (this.byKey.has(key)) this.stirred.add(key);
  }

  /**
   * The key stirred longest ago that `may` lets go, quiet again until
   * stirred; those it passes over stay stirred, in their turn. Undefined
   * when there is none.
   */
  takeStirred(may: (key: string) => boolean = () => true): string | undefined {
    for (const key of this.stirred) {
      if (!may(key)) continue;
      this.stirred.delete(key);
      return key;
    }
    return undefined;
  }
}
