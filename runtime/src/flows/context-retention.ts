import type { DocumentStore } from '@lockstep/store';
import type { Logger } from 'pino';
import { PassLoop } from '../queue/pass-loop.js';
import type { StoredFlowContexts } from './context-store.js';
import { SweepSchedule } from './sweep-schedule.js';

/** How long ended runs' flow contexts are kept, in days. */
export interface ContextRetention {
  /** @default 7 */
  completedDays: number;
  /** Failed runs are kept longer: they are what an admin comes back to. @default 30 */
  failedDays: number;
}

export const defaultRetention: ContextRetention = { completedDays: 7, failedDays: 30 };

export const DAY_MS = 86_400_000;
/** Ended runs age by the day: an hourly sweep keeps the store within an hour of its retention. */
const SWEEP_INTERVAL_MS = 3_600_000;

/**
 * A sweep of what is past its retention: hourly, whichever process on the
 * database sweeps (SweepSchedule), so a start sweeps only when the last
 * sweep is an hour old.
 */
export abstract class RetentionSweep {
  private loop: PassLoop | undefined;
  /** A sweep taken is under way: its passes go on while each says more is due. */
  private sweeping = false;

  constructor(
    private readonly sweepLogger: Logger,
    private readonly failure: string,
    private readonly clock: () => number,
  ) {}

  /** `kind` names the sweep's schedule in `store`. */
  start(store: DocumentStore, kind: string): void {
    const schedule = new SweepSchedule(store, kind, SWEEP_INTERVAL_MS);
    const loop: PassLoop = new PassLoop(async () => this.pass(schedule, loop), this.sweepLogger, this.failure, SWEEP_INTERVAL_MS, this.clock);
    this.loop = loop;
    loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /** One pass; true when more is due at once. */
  abstract sweep(): Promise<boolean>;

  private async pass(schedule: SweepSchedule, loop: PassLoop): Promise<boolean> {
    if (!this.sweeping) {
      const taken = await schedule.take(this.clock());
      if (taken !== true) {
        loop.wakeBy(taken.dueAt);
        return false;
      }
    }
    this.sweeping = await this.sweep();
    return this.sweeping;
  }
}

/**
 * Deletes the flow contexts of runs that ended longer ago than their
 * retention; waiting and running ones are never touched.
 */
export class ContextSweeper extends RetentionSweep {
  constructor(
    private readonly contexts: StoredFlowContexts,
    private readonly retention: ContextRetention,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    super(logger, 'sweeping old flow contexts failed', now);
  }

  /** One sweep; false, as one sweep removes all that is due. */
  async sweep(): Promise<boolean> {
    const now = this.now();
    const [completed, failed] = await Promise.all([
      this.contexts.deleteEndedBefore('completed', now - this.retention.completedDays * DAY_MS),
      this.contexts.deleteEndedBefore('error', now - this.retention.failedDays * DAY_MS),
    ]);
    if (completed + failed > 0) this.logger.info({ completed, failed }, 'flow contexts past their retention deleted');
    return false;
  }
}
