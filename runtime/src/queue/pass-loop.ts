import type { Logger } from 'pino';

/**
 * Runs a background worker's passes (the relay, the dispatcher, the inbound
 * processor): one right after each nudge, when something was just queued,
 * and one every interval to pick up what no nudge announced (work left by a
 * crash, by another runtime process on the same database, or due later).
 * One pass at a time; nudges during a pass make one more pass after it.
 */
export class PassLoop {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private again = false;
  private state: 'idle' | 'started' | 'stopped' = 'idle';

  constructor(
    /** One pass; true when more work may be waiting at once. */
    private readonly pass: () => Promise<boolean>,
    private readonly logger: Logger,
    /** What a failed pass is logged as. */
    private readonly failure: string,
    private readonly intervalMs: number,
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
        this.logger.error({ err: error }, `${this.failure}; trying again on the next tick`);
      }
    } while (this.again && this.state === 'started');
    // Set in the same turn as the last check of `again`, so no nudge falls between the two.
    this.current = undefined;
  }
}
