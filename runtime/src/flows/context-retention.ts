import type { Logger } from 'pino';
import { PassLoop } from '../queue/pass-loop.js';
import type { StoredFlowContexts } from './context-store.js';

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

/** A sweep of what is past its retention: once at start, in the background, then every hour. */
export abstract class RetentionSweep {
  private readonly loop: PassLoop;

  constructor(logger: Logger, failure: string) {
    this.loop = new PassLoop(() => this.sweep(), logger, failure, SWEEP_INTERVAL_MS);
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass; true when more is due at once. */
  abstract sweep(): Promise<boolean>;
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
    super(logger, 'sweeping old flow contexts failed');
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
