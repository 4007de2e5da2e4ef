/** An admitted item waiting for a slot, stored claimed. */
export interface Reserved {
  start(): void;
  /** The worker stops first: the item is left claimed, and its lease returns it. */
  abandon(): void;
}

/** Each item's work time moves the mean that judges reservations by this share of the difference. */
const MEAN_WEIGHT = 1 / 16;

/**
 * The items a worker admitted while every slot was taken (KeyedWorker.admit):
 * stored claimed, which saves the write of a claim, they wait for a slot in
 * the order they came. How many may wait is judged by how long an item's
 * work takes: together, no longer than a third of a lease, when each claim
 * would be renewed, at a write each; where a backlog is longer, its items
 * are queued ready.
 */
export class SlotReservations {
  private readonly waiting: Reserved[] = [];
  /** Admissions beyond the free slots not started yet: stored and waiting, or still being stored. */
  private admitted = 0;
  /** How long an item's work takes, a moving mean; undefined until one has been timed. */
  private meanWorkMs: number | undefined;

  constructor(
    private readonly concurrency: number,
    private readonly leaseMs: number,
  ) {}

  /** Admissions not started yet: keys in flight that hold no slot. */
  get count(): number {
    return this.admitted;
  }

  /** Whether one more may wait. Until an item's work has been timed, one turn of the slots at most. */
  mayAdmit(): boolean {
    const turns = (this.admitted + 1) / this.concurrency;
    if (this.meanWorkMs === undefined) return turns <= 1;
    return turns * this.meanWorkMs < this.leaseMs / 3;
  }

  /** One more admitted to wait; the function that ends its wait (started, abandoned or not stored), once. */
  admit(): () => void {
    this.admitted += 1;
    let waiting = true;
    return () => {
      if (waiting) this.admitted -= 1;
      waiting = false;
    };
  }

  /** A stored item waits its turn. */
  queue(reserved: Reserved): void {
    this.waiting.push(reserved);
  }

  /** Starts the waiting items in turn while `slotFree` says a slot is. */
  startWhile(slotFree: () => boolean): void {
    while (this.waiting.length > 0 && slotFree()) this.waiting.shift()?.start();
  }

  abandonAll(): void {
    for (const reserved of this.waiting.splice(0)) reserved.abandon();
  }

  /** An item's work took `workMs`: the mean moves. */
  timed(workMs: number): void {
    this.meanWorkMs = this.meanWorkMs === undefined ? workMs : this.meanWorkMs + (workMs - this.meanWorkMs) * MEAN_WEIGHT;
  }
}
