/**
 * How a keyed queue worker runs. Every worker (the outbound queue's, the
 * inbound queue's, the flow run waker's) takes these, so one place says
 * what they default to.
 */
export interface WorkerOptions {
  /** Keys worked at once; within one key, items never run in parallel. @default 64 */
  concurrency?: number;
  /**
   * How long a claim holds an item before another worker, in this process or
   * another on the same database, may take it back: how soon the items of a
   * process that died go on. The worker renews the lease every third of it
   * while the item's work goes on, so work may take longer. @default 10_000
   */
  leaseMs?: number;
  /**
   * How often the store is read for ready items no one announced: another
   * process's, a restart's, a retry come due, a remote system activated.
   * @default 1_000
   */
  scanIntervalMs?: number;
  /**
   * The longest wait between scans: while they find nothing new, the wait
   * doubles from `scanIntervalMs` up to this, so an idle instance hardly
   * reads its store. An item offered, or a scan that finds one, brings it
   * back; something the store says comes due later (a retry, a wait) is
   * scanned for when it does. 10 s: an idle pair on FerretDB, whose every
   * read costs its runtime a round trip, used about 2% of a core at 5 s.
   * @default 10_000
   */
  idleScanIntervalMs?: number;
  /** Ready items held in memory at most; a backlog beyond it waits in the store for the scans. @default 20_000 */
  heldLimit?: number;
}

/**
 * Ready items a queue's scan reads at most: enough to find the heads of
 * many keys, and few enough that decoding them at every scan costs little
 * while several processes share the database, when nothing is stored
 * claimed and the scans come every second. The outbound scan once read 25
 * for each of 256 sends at once, 6,400 items (three processes on FerretDB:
 * 16 to 18 changes/s, 19 to 20 with this bound).
 */
export const MOST_READ_PER_SCAN = 2_000;

export const workerDefaults: Required<WorkerOptions> = {
  concurrency: 64,
  leaseMs: 10_000,
  scanIntervalMs: 1_000,
  idleScanIntervalMs: 10_000,
  heldLimit: 20_000,
};

export function workerOptions(given: WorkerOptions = {}): Required<WorkerOptions> {
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  return { ...workerDefaults, ...defined };
}
