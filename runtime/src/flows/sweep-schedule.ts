import { DuplicateKeyError, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';

/** When a sweep of one kind last began on the database, by whichever process. */
interface LastSweep extends StoredDocument {
  swept_at: number;
}

const SWEEPS_COLLECTION = 'sys_sweep';

/**
 * Spaces a retention sweep by `intervalMs` across every process on the
 * database and across restarts. A sweep reads its whole state on FerretDB v1
 * (which pushes no range down): every completed flow context, every
 * processed queue item. Run at each start, a process restarted every few
 * seconds (the multi-process bench kills one every 5 s) read them all each
 * time, 3–10 s of PostgreSQL's time per start at 1,700 contexts, and the
 * more so the longer the instance had run.
 */
export class SweepSchedule {
  private readonly sweeps: Collection<LastSweep>;

  constructor(
    store: DocumentStore,
    /** The kind of sweep: one schedule per kind. */
    private readonly kind: string,
    private readonly intervalMs: number,
  ) {
    this.sweeps = store.collection<LastSweep>(SWEEPS_COLLECTION);
  }

  /**
   * Takes the sweep due at `now` for this process: true when this process
   * is to sweep; else when the next one is due. Of processes that take it
   * at once, one gets it (a unique insert, or a compare-and-set by `_id`).
   */
  async take(now: number): Promise<true | { dueAt: number }> {
    const last = await this.sweeps.findOne({ _id: this.kind });
    if (last && last.swept_at + this.intervalMs > now) return { dueAt: last.swept_at + this.intervalMs };
    const taken = last ? await this.sweeps.findOneAndUpdate({ _id: this.kind, swept_at: last.swept_at }, { $set: { swept_at: now } }) : await this.inserted(now);
    return taken ? true : { dueAt: now + this.intervalMs };
  }

  private async inserted(now: number): Promise<boolean> {
    try {
      await this.sweeps.insertOne({ _id: this.kind, swept_at: now });
      return true;
    } catch (error) {
      if (error instanceof DuplicateKeyError) return false;
      throw error;
    }
  }
}
