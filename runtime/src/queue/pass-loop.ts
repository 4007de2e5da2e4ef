import type { Logger } from 'pino';

/** What a pass found: more work waiting at once, some work, or none. A plain loop's pass says only whether more waits (true). */
export type PassOutcome = 'more' | 'done' | 'idle';

/** When the timed passes come; a number is a fixed interval. */
export interface PassTiming {
  /** The wait between timed passes while they find work, and after a nudge. */
  intervalMs: number;
  /** The longest wait: it doubles from `intervalMs` up to this while timed passes find nothing. */
  idleIntervalMs: number;
  /** After a timed pass, the wait is at least this many times as long as the pass took, so slow passes take a bounded share of the time. @default 0 */
  restFactor?: number;
}

/**
 * Runs a background worker's passes (the relay, the queue workers): one
 * right after each nudge, when something was just queued, and timed ones to
 * pick up what no nudge announced (work left by a crash, by another runtime
 * process on the same database, or due later). While timed passes find
 * nothing the wait between them doubles, up to `idleIntervalMs`, so an idle
 * instance hardly reads its store; a nudge, or a timed pass that finds work,
 * brings it back to `intervalMs`. One pass at a time; nudges during a pass
 * make one more pass after it.
 */
export class PassLoop {
  private timer: NodeJS.Timeout | undefined;
  /** When the armed timer fires (epoch ms); Infinity while none is armed. */
  private timerAt = Infinity;
  private waitMs: number;
  /** No timed pass before this (epoch ms): the rest after the last, `restFactor` times as long as it took. */
  private restUntil = 0;
  private current: Promise<void> | undefined;
  private again = false;
  /** The next pass is a timed one, whose outcome sets the wait after it. */
  private timedNext = false;
  private state: 'idle' | 'started' | 'stopped' = 'idle';
  private readonly timing: PassTiming;

  constructor(
    /** One pass; `timed` when the timer, not a nudge, called for it. */
    private readonly pass: (timed: boolean) => Promise<PassOutcome | boolean>,
    private readonly logger: Logger,
    /** What a failed pass is logged as. */
    private readonly failure: string,
    timing: PassTiming | number,
    private readonly now: () => number = Date.now,
  ) {
    this.timing = typeof timing === 'number' ? { intervalMs: timing, idleIntervalMs: timing } : timing;
    this.waitMs = this.timing.intervalMs;
  }

  /** Starts with a timed pass. */
  start(): void {
    this.state = 'started';
    this.tick();
  }

  /** Ignored before `start` (writes while the runtime is starting) and after `stop`. */
  nudge(): void {
    if (this.state !== 'started') return;
    this.waitMs = this.timing.intervalMs;
    this.wakeBy(this.now() + this.waitMs);
    this.run();
  }

  /** A timed pass no later than `at` (epoch ms), nor before the rest after the last: something the store holds comes due then. */
  wakeBy(due: number): void {
    const at = Math.max(due, this.restUntil);
    if (this.state !== 'started' || at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.tick(), Math.max(0, at - this.now()));
    this.timer.unref();
  }

  /** Waits for the pass under way, and starts no other. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.timer);
    await this.current;
  }

  private tick(): void {
    this.timerAt = Infinity;
    this.timedNext = true;
    this.run();
  }

  private run(): void {
    if (this.current) {
      this.again = true;
      return;
    }
    this.current = this.drain();
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      const timed = this.timedNext;
      this.timedNext = false;
      // How long the pass takes is measured on the real clock: `now` may be a test's, which jumps while a pass reads.
      const startedAt = performance.now();
      let outcome: PassOutcome = 'done';
      try {
        const said = await this.pass(timed);
        outcome = said === true ? 'more' : said === false ? 'done' : said;
      } catch (error) {
        this.logger.error({ err: error }, `${this.failure}; trying again on the next tick`);
      }
      if (outcome === 'more') this.again = true;
      if (timed) {
        this.waitMs = outcome === 'idle' ? Math.min(this.waitMs * 2, this.timing.idleIntervalMs) : this.timing.intervalMs;
        const ended = this.now();
        this.restUntil = ended + (performance.now() - startedAt) * (this.timing.restFactor ?? 0);
        // A tick during the pass (something came due while it read: a retry, a wait) is not dropped: the next
        // timed pass comes once the rest is over. Otherwise it comes a wait after this one ended.
        const tickedDuringPass = this.timedNext;
        this.timedNext = false;
        this.wakeBy(tickedDuringPass ? ended : ended + this.waitMs);
      }
    } while (this.again && this.state === 'started');
    // Set in the same turn as the last check of `again`, so no nudge falls between the two.
    this.current = undefined;
  }
}
