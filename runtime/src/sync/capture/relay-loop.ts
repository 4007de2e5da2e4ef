import type { Logger } from 'pino';

/**
 * Runs the relay: a pass right after each captured write (a nudge), and one
 * every interval to pick up what a nudge missed (intents left by a crash, or
 * by another runtime process on the same database). One pass at a time per
 * process; a nudge during a pass makes one more pass after it.
 *
 * On FerretDB v1, whose conditional updates are not atomic across processes
 * and whose outbox look-up is a full scan, run one relay per instance
 * database, as for queue claims.
 */
export class RelayLoop {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private again = false;
  private state: 'idle' | 'started' | 'stopped' = 'idle';

  constructor(
    /** One pass; true when more work may be waiting. */
    private readonly pass: () => Promise<boolean>,
    private readonly logger: Logger,
    /** @default 100 */
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.state = 'started';
    this.timer = setInterval(() => this.nudge(), this.intervalMs);
    this.timer.unref();
    this.nudge();
  }

  /** Ignored before `start` (writes while the runtime is starting) and after `stop`. */
  nudge(): void {
    if (this.state !== 'started') return;
    if (this.current) {
      this.again = true;
      return;
    }
    this.current = this.drain();
  }

  /** Waits for the pass under way, and starts no other. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    clearInterval(this.timer);
    await this.current;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        if (await this.pass()) this.again = true;
      } catch (error) {
        this.logger.error({ err: error }, 'the outbox relay pass failed; trying again on the next tick');
      }
    } while (this.again && this.state === 'started');
    // Set in the same turn as the last check of `again`, so no nudge falls between the two.
    this.current = undefined;
  }
}
