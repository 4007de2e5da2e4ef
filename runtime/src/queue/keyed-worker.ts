import type { Logger } from 'pino';
import { OfferedItems, type KeyedItem } from './offered-items.js';
import { PassLoop, type PassOutcome } from './pass-loop.js';
import { workerOptions, type WorkerOptions } from './worker-options.js';

/** What a worker does with a key's items: take one, drop one it holds for nothing, or wait until something stirs the key. */
export type KeyChoice<T> = { take: T } | { drop: T } | { wait: true };

/** What a scan found: items that may be ready, and when the earliest of those it saw waiting (a retry, a wait) comes due. */
export interface Scanned<T> {
  items: T[];
  dueAt?: number;
}

/**
 * One queue as its worker sees it. The queue decides what may go (its
 * order, its remote systems' states) and does the work; the worker decides
 * when, how many at once, and that no item runs twice at one time.
 */
export interface KeyedWork<T extends KeyedItem> {
  /** Items that may be ready, read from the store, oldest first: those no announcement brought. */
  scan(now: number): Promise<Scanned<T>>;
  /** Given the key's items held here, lowest sequence first: the one to take now, one to drop, or wait. */
  choose(items: readonly T[], now: number): Promise<KeyChoice<T>>;
  /**
   * Takes the item from ready, for this worker until `leaseUntil`: a
   * compare-and-set of the item by its `_id`, which every store makes
   * atomic for all processes on its database. The item as claimed, or null
   * when something else took it first.
   */
  claim(item: T, now: number, leaseUntil: number): Promise<T | null>;
  /** Extends the claim of an item still being worked to `leaseUntil`. */
  renewClaim(claimed: T, leaseUntil: number): Promise<void>;
  /** Claims whose lease ran out before `now` go back to ready. */
  releaseExpired(now: number): Promise<number>;
  /** Does the claimed item's work and records how it ended. */
  handle(item: T): Promise<void>;
}

/** Reads the time: the system clock, or a test's. */
export type Clock = () => number;

/**
 * The one worker every queue uses: strict FIFO per key, parallel across
 * keys up to `concurrency`, every item claimed by lease.
 *
 * Items this process makes ready are announced (`offer`), so a pass looks
 * only at the keys that moved; scans of the store find the rest and return
 * expired claims, every `scanIntervalMs`, less often while they find
 * nothing new (up to `idleScanIntervalMs`), and when something they saw
 * comes due. The claim's compare-and-set is what decides, never what is
 * held in memory.
 */
export class KeyedWorker<T extends KeyedItem> {
  private readonly options: Required<WorkerOptions>;
  private readonly held: OfferedItems<T>;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly loop: PassLoop;
  private stopped = false;
  /** Items being claimed. */
  private readonly working = new Set<string>();
  /** Items being claimed when a scan began, or claimed while it read the store: its copies of them may be from before their claim. */
  private takenDuringScan: Set<string> | undefined;

  constructor(
    private readonly work: KeyedWork<T>,
    private readonly logger: Logger,
    /** What the worker is, in its log lines: "outbound queue". */
    private readonly name: string,
    options: WorkerOptions = {},
    private readonly now: Clock = Date.now,
  ) {
    this.options = workerOptions(options);
    this.held = new OfferedItems<T>(this.options.heldLimit);
    const timing = { intervalMs: this.options.scanIntervalMs, idleIntervalMs: this.options.idleScanIntervalMs };
    this.loop = new PassLoop((timed) => this.pass(timed), logger, `a pass of the ${name} worker failed`, timing, now);
  }

  /**
   * `ownsStore`: no other process works this store (the embedded one), so
   * every claim in it was left by a previous process and is returned now
   * rather than when its lease runs out.
   */
  async start(ownsStore: boolean): Promise<void> {
    const released = await this.work.releaseExpired(ownsStore ? Number.MAX_SAFE_INTEGER : this.now());
    if (released > 0) this.logger.info({ released }, `${this.name}: items claimed by a stopped process are ready again`);
    this.loop.start();
  }

  /** An item made ready in this process: its key is looked at on the next pass. */
  offer(item: T): void {
    if (this.held.offer(item)) this.loop.nudge();
  }

  /** Something this process stored comes due at `at` (a run's wait): the store is scanned again by then. */
  wakeBy(at: number): void {
    this.loop.wakeBy(at);
  }

  /** Claims nothing more, and waits for the work under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** A timed pass scans the store; every pass looks at the keys stirred since the last. */
  private async pass(timed: boolean): Promise<PassOutcome> {
    const found = timed && (await this.scan(this.now()));
    for (const key of this.held.takeStirred()) {
      if (this.stopped) break;
      // A key being worked, or one past the concurrency: looked at again when a key finishes and nudges the loop.
      if (this.inFlight.has(key) || this.inFlight.size >= this.options.concurrency) {
        this.held.stir(key);
        continue;
      }
      this.inFlight.set(key, this.runKey(key));
    }
    return timed && !found ? 'idle' : 'done';
  }

  /** True when it released a claim or found an item not held yet. */
  private async scan(now: number): Promise<boolean> {
    const released = await this.work.releaseExpired(now);
    const taken = new Set(this.working);
    this.takenDuringScan = taken;
    let scanned: Scanned<T>;
    try {
      scanned = await this.work.scan(now);
    } finally {
      this.takenDuringScan = undefined;
    }
    // Only a time still to come: what is due now, this scan has offered.
    if (scanned.dueAt !== undefined && scanned.dueAt > now) this.loop.wakeBy(scanned.dueAt);
    let found = released > 0;
    for (const item of scanned.items) {
      // Offered again, a copy from before its claim would only cost a claim that fails.
      if (taken.has(item._id)) continue;
      if (!this.held.holds(item)) found = true;
      this.held.offer(item);
    }
    return found;
  }

  /**
   * Renews the claim every third of the lease, so work that takes longer
   * than a lease keeps its item; one renewal at a time. On a store whose
   * writes wait their turn (FerretDB's few at once), a renewal can take
   * longer than a third of the lease: started on every tick regardless,
   * they piled up behind one another (a dozen writes an item, seen under
   * load), so the item's own writes waited longer still, its steps ran past
   * their timeout, and more renewals came due: the queue stopped.
   */
  private renewWhileWorked(claimed: T): NodeJS.Timeout {
    const { leaseMs } = this.options;
    let renewing = false;
    const renewal = setInterval(() => {
      if (renewing) return;
      renewing = true;
      this.work
        .renewClaim(claimed, this.now() + leaseMs)
        .catch((error: unknown) => {
          this.logger.warn({ err: error, item: claimed._id }, `${this.name}: renewing a claim failed; another worker may take the item when its lease ends`);
        })
        .finally(() => {
          renewing = false;
        });
    }, leaseMs / 3);
    renewal.unref();
    return renewal;
  }

  /** Takes the key's next item if it may go, works it, then lets the key go on. */
  private async runKey(key: string): Promise<void> {
    let moveOn = false;
    try {
      const now = this.now();
      const choice = await this.work.choose(this.held.itemsOf(key), now);
      // The key waits, quietly, until an offer or a scan stirs it again.
      if ('wait' in choice) return;
      const item = 'take' in choice ? choice.take : choice.drop;
      this.held.drop(item);
      moveOn = true;
      if ('drop' in choice) return;
      this.working.add(item._id);
      this.takenDuringScan?.add(item._id);
      const claimed = await this.work.claim(item, now, now + this.options.leaseMs).finally(() => this.working.delete(item._id));
      // Taken meanwhile (another process, an admin): the key goes on with whatever is next.
      if (!claimed) return;
      const renewal = this.renewWhileWorked(claimed);
      try {
        await this.work.handle(claimed);
      } finally {
        clearInterval(renewal);
      }
    } catch (error) {
      this.logger.error({ err: error, key }, `${this.name}: working an item failed unexpectedly; its lease returns it to ready`);
    } finally {
      this.inFlight.delete(key);
      if (moveOn) this.held.stir(key);
      this.loop.nudge();
    }
  }
}
