import type { Logger } from 'pino';
import { renewedWhileHeld } from './claim-renewal.js';
import type { Admission, Clock, KeyChoice, KeyedWork, Scanned } from './keyed-work.js';
import { OfferedItems, type KeyedItem } from './offered-items.js';
import { PassLoop, type PassOutcome } from './pass-loop.js';
import { SlotReservations } from './slot-reservations.js';
import { workerOptions, type WorkerOptions } from './worker-options.js';

/** After a scan, the wait before the next is at least this many times as long as it took. */
const SCAN_REST = 2;


/**
 * The one worker every queue uses: strict FIFO per key, parallel across
 * keys up to `concurrency`, every item claimed by lease.
 *
 * Items this process makes ready are announced (`offer`), so the worker
 * looks only at the keys that moved, as soon as they move; scans of the
 * store find the rest and return expired claims, every `scanIntervalMs`,
 * less often while they find nothing new (up to `idleScanIntervalMs`), and
 * when something they saw comes due. Work going on brings them back to
 * their interval, unless every ready item is offered here and nothing that
 * decides which may go changed since the last scan (`holdsAllReady`): then
 * they find nothing new under load either, and back off as when idle.
 * A key's next item another process
 * queued is read when the key's item before it is worked (`nextReady`), so
 * a key whose items several processes queue goes on without a scan. The
 * claim's compare-and-set is what decides, never what is held in memory.
 * A new item the worker would take is stored claimed (`admit`), and where
 * every slot is taken it may wait for one so (SlotReservations): under a
 * backlog, most items then cost no claim of their own.
 *
 * Scans go beside the keys' work, never before it: on FerretDB v1 a scan
 * reads every ready item (it pushes down no sort nor limit), seconds at a
 * backlog of thousands, and every key that finished meanwhile waited for
 * the scan to end before its next item was looked at. And after a scan the
 * next waits at least twice as long as it took, so scans take at most a
 * third of the time.
 */
export class KeyedWorker<T extends KeyedItem> {
  private readonly options: Required<WorkerOptions>;
  private readonly held: OfferedItems<T>;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly loop: PassLoop;
  private stopped = false;
  /** Keys are looked at once started: offers before that are held for it. */
  private started = false;
  private dispatchQueued = false;
  /** Items being claimed. */
  private readonly working = new Set<string>();
  /** An offer was dropped, the held items being at their limit, since the last scan began: only a scan finds it. */
  private missedOffers = false;
  /** The deciding writes when the last scan whose items were offered began; undefined before the first. */
  private scannedDeciding: number | undefined;
  /** Items being claimed when a scan began, or claimed while it read the store: its copies of them may be from before their claim. */
  private takenDuringScan: Set<string> | undefined;
  /** Items admitted while every slot was taken, waiting for one stored claimed: each starts as a slot frees. */
  private readonly reservations: SlotReservations;

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
    this.reservations = new SlotReservations(this.options.concurrency, this.options.leaseMs);
    const timing = { intervalMs: this.options.scanIntervalMs, idleIntervalMs: this.options.idleScanIntervalMs, restFactor: SCAN_REST };
    this.loop = new PassLoop((timed) => this.pass(timed), logger, `a scan of the ${name} failed`, timing, now);
  }

  /**
   * `ownsStore`: no other process works this store (the embedded one), so
   * every claim in it was left by a previous process and is returned now
   * rather than when its lease runs out.
   */
  async start(ownsStore: boolean): Promise<void> {
    // Elsewhere the scans return them as their leases end; a claim's item may be under a killed process's document lease for as long.
    if (ownsStore) this.reportReleased(await this.work.releaseExpired(Number.MAX_SAFE_INTEGER));
    this.started = true;
    this.dispatch();
    this.loop.start();
  }

  /** An item made ready in this process: its key is looked at at once. */
  offer(item: T): void {
    if (!this.held.offer(item)) {
      this.missedOffers = true;
      return;
    }
    this.dispatchSoon();
    this.workGoesOn();
  }

  /**
   * For an item about to be queued: an admission when the worker would take
   * it at once, so the queue stores it claimed rather than ready, and the
   * claim costs no write of its own. Only while a scan could find nothing
   * that offers did not bring (holdsAllReady), its key holds nothing and is
   * not being worked, and the queue's choice takes it; the key is kept for
   * it meanwhile. With every slot taken, it waits for one, stored claimed,
   * where the reservations let it (SlotReservations). Undefined otherwise:
   * the item is queued ready.
   */
  async admit(item: T): Promise<Admission<T> | undefined> {
    const key = item.correlation_key;
    if (!this.started || this.stopped || !this.holdsAllReady()) return undefined;
    if (this.inFlight.has(key) || this.held.itemsOf(key).length > 0) return undefined;
    const reserving = !this.slotFree();
    // Only a work that can give a claim back (release) is admitted beyond its free slots; keys stored ready take the slots that free first.
    if (reserving && (this.work.release === undefined || !this.reservations.mayAdmit())) return undefined;
    let ended!: () => void;
    this.inFlight.set(key, new Promise<void>((resolve) => (ended = resolve)));
    const stopWaiting = reserving ? this.reservations.admit() : () => undefined;
    const letGo = (): void => {
      stopWaiting();
      ended();
      // Offered meanwhile, its items waited for the key.
      this.held.stir(key);
      this.keyEnded(key);
    };
    let choice: KeyChoice<T>;
    try {
      choice = await this.work.choose([item], this.now());
    } catch (error) {
      letGo();
      throw error;
    }
    if (!('take' in choice) || choice.take._id !== item._id) {
      letGo();
      return undefined;
    }
    const startedAt = this.now();
    return {
      startedAt,
      leaseUntil: startedAt + this.options.leaseMs,
      run: (claimed, began) => {
        if (reserving) this.reserve(claimed, began, stopWaiting, letGo);
        else void this.workClaimed(this.beganAdmitted(began, startedAt)).finally(letGo);
      },
      cancel: letGo,
    };
  }

  /** An admitted item's claim begins: the item as it is worked, its claim the first of its attempt. */
  private beganAdmitted(began: (startedAt: number) => T, startedAt: number): T {
    const claimed = began(startedAt);
    this.work.admitted?.(claimed);
    return claimed;
  }

  /** An admitted item stored claimed while every slot is taken: it waits for one, its claim renewed meanwhile, and starts in its turn. */
  private reserve(claimed: T, began: (startedAt: number) => T, stopWaiting: () => void, letGo: () => void): void {
    const renewal = this.renewWhileWorked(claimed);
    const abandon = (): void => {
      clearInterval(renewal);
      letGo();
    };
    const start = (): void => {
      stopWaiting();
      void this.startReserved(this.beganAdmitted(began, this.now()), renewal).finally(letGo);
    };
    if (this.stopped) abandon();
    else if (this.slotFree()) start();
    else this.reservations.queue({ start, abandon });
  }

  /** A reserved item's turn: worked if its queue still takes it, given back ready if not (its remote system paused while it waited). */
  private async startReserved(claimed: T, renewal: NodeJS.Timeout): Promise<void> {
    try {
      const choice = await this.work.choose([claimed], this.now());
      if ('take' in choice && choice.take._id === claimed._id) return await this.workClaimed(claimed, renewal);
      clearInterval(renewal);
      await this.work.release?.(claimed);
    } catch (error) {
      clearInterval(renewal);
      this.failed(error, claimed.correlation_key);
    }
  }

  /** Whether a key may start: those in flight, but for admitted items still waiting for a slot, hold fewer than the concurrency. */
  private slotFree(): boolean {
    return this.inFlight.size - this.reservations.count < this.options.concurrency;
  }

  /** Something this process stored comes due at `at` (a run's wait): the store is scanned again by then. */
  wakeBy(at: number): void {
    this.loop.wakeBy(at);
  }

  /**
   * Claims nothing more, and waits for the work under way. Admitted items
   * still waiting for a slot are left claimed, as a crash would leave them:
   * their leases return them (on a store this process owns, at its next start).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.reservations.abandonAll();
    await this.loop.stop();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /** A timed pass scans the store; a nudge's only brings the scans back to their interval. */
  private async pass(timed: boolean): Promise<PassOutcome> {
    if (!timed) return 'done';
    const found = await this.scan(this.now());
    this.dispatch();
    return found ? 'done' : 'idle';
  }

  /** Items offered together (a relay round's, announced in one go) are looked at together, each key's lowest sequence first. */
  private dispatchSoon(): void {
    if (this.dispatchQueued) return;
    this.dispatchQueued = true;
    void Promise.resolve().then(() => {
      this.dispatchQueued = false;
      this.dispatch();
    });
  }

  /**
   * Starts the keys stirred since the last look, as many as the concurrency
   * lets. A key being worked stays stirred, and those past the concurrency
   * wait in their turn, each looked at when a key finishes: a backlog of
   * thousands of keys is not gone through at every finish.
   */
  private dispatch(): void {
    if (!this.started) return;
    while (!this.stopped && this.slotFree()) {
      const key = this.held.takeStirred((stirred) => !this.inFlight.has(stirred));
      if (key === undefined) break;
      this.inFlight.set(key, this.runKey(key).finally(() => this.keyEnded(key)));
    }
  }

  /** A key's work ended: the next keys go, then the reserved items in their turn, and work goes on. */
  private keyEnded(key: string): void {
    this.inFlight.delete(key);
    this.dispatch();
    this.reservations.startWhile(() => !this.stopped && this.slotFree());
    this.workGoesOn();
  }

  /**
   * True while a scan could find nothing that offers did not bring: every
   * item made ready is offered here (offersAll), none was dropped at the
   * held limit since the last scan, and nothing that decides which may go
   * was written since it began. On FerretDB each scan of a backlog reads
   * every ready item.
   */
  private holdsAllReady(): boolean {
    return this.work.offersAll?.() === true && !this.missedOffers && this.scannedDeciding === (this.work.decidingWrites?.() ?? 0);
  }

  /** Work goes on: the scans at their interval again, for what others queue beside it, unless there is nothing a scan could find. */
  private workGoesOn(): void {
    if (!this.holdsAllReady()) this.loop.nudge();
  }

  private reportReleased(released: number): void {
    if (released > 0) this.logger.info({ released }, `${this.name}: items claimed by a stopped process are ready again`);
  }

  /** True when it released a claim or found an item not held yet. */
  private async scan(now: number): Promise<boolean> {
    const released = await this.work.releaseExpired(now);
    this.reportReleased(released);
    const taken = new Set(this.working);
    this.takenDuringScan = taken;
    this.missedOffers = false;
    const deciding = this.work.decidingWrites?.() ?? 0;
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
      if (!this.held.offer(item)) this.missedOffers = true;
    }
    // Only now, with what it found held: an item queued meanwhile is not taken ahead of one it found.
    this.scannedDeciding = deciding;
    return found;
  }

  /** Renews the claim while the item waits for a slot or is worked (renewedWhileHeld). */
  private renewWhileWorked(claimed: T): NodeJS.Timeout {
    return renewedWhileHeld(
      (leaseUntil) => this.work.renewClaim(claimed, leaseUntil),
      { leaseMs: this.options.leaseMs, now: this.now },
      (error) => this.logger.warn({ err: error, item: claimed._id }, `${this.name}: renewing a claim failed; another worker may take the item when its lease ends`),
    );
  }

  /** Takes the key's next item if it may go, works it, then lets the key go on. */
  private async runKey(key: string): Promise<void> {
    let moveOn = false;
    try {
      const now = this.now();
      const choice = await this.work.choose(this.held.itemsOf(key), now);
      // The key waits, quietly, until an offer or a scan stirs it again; a scan comes when its wait ends.
      if ('wait' in choice) {
        if (choice.until !== undefined) this.loop.wakeBy(choice.until);
        return;
      }
      const item = choice.take;
      this.held.drop(item);
      moveOn = true;
      this.working.add(item._id);
      this.takenDuringScan?.add(item._id);
      const claimed = await this.work.claim(item, now, now + this.options.leaseMs).finally(() => this.working.delete(item._id));
      // Taken meanwhile (another process, an admin): the key goes on with whatever is next.
      if (claimed) await this.workClaimed(claimed);
    } catch (error) {
      this.failed(error, key);
    } finally {
      if (moveOn) this.held.stir(key);
    }
  }

  /** Works a claimed item, its claim renewed meanwhile, then holds its key's next one when another process may have queued it. */
  private async workClaimed(claimed: T, renewal?: NodeJS.Timeout): Promise<void> {
    try {
      const renewing = renewal ?? this.renewWhileWorked(claimed);
      const began = this.now();
      try {
        await this.work.handle(claimed);
      } finally {
        clearInterval(renewing);
        this.reservations.timed(this.now() - began);
      }
      await this.holdNext(claimed);
    } catch (error) {
      this.failed(error, claimed.correlation_key);
    }
  }

  private failed(error: unknown, key: string): void {
    this.logger.error({ err: error, key }, `${this.name}: working an item failed unexpectedly; its lease returns it to ready`);
  }

  /** Holds the key's next item when this process may not: another process queued it, and it would wait for a scan. */
  private async holdNext(worked: T): Promise<void> {
    const [held] = this.held.itemsOf(worked.correlation_key);
    if (held?.sequence === worked.sequence + 1) return;
    const next = await this.work.nextReady(worked);
    if (next) this.held.hold(next);
  }
}
