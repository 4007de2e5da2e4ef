import type { FlowRunner } from '@lockstep/flow';
import type { Logger } from 'pino';
import { KeyedWorker } from '../queue/keyed-worker.js';
import type { Clock, KeyChoice, KeyedWork, Scanned } from '../queue/keyed-work.js';
import { workerOptions, type WorkerOptions } from '../queue/worker-options.js';
import type { DueRun, StoredFlowContexts } from './context-store.js';

/**
 * Runs resumed at once, and how often the store is read for due ones. A
 * scan says when the next wait it saw comes due, and the waker scans again
 * then; a wait begun since in this process says when it comes due too
 * (FlowRunner.onWaiting). One begun in another process on the database, and
 * the run of a process that stopped, are found by a later scan, at most
 * `idleScanIntervalMs` away: the queues' 10 s, where the waker's 2 s had
 * every idle instance read its contexts three times in 2 s (on FerretDB, a
 * third of an idle instance's store operations).
 */
const WAKER_DEFAULTS: WorkerOptions = { concurrency: 4, scanIntervalMs: 250 };

/**
 * Resumes runs whose wait or retry is due, and runs whose process died, from
 * the database: durable waits need nothing kept in memory. Each run is its
 * own key, so runs resume in parallel, each claimed by lease.
 */
class WakeWork implements KeyedWork<DueRun> {
  /** The release made at start, which the start does not wait for; the releases before later scans do. */
  private atStart: Promise<unknown> | undefined;

  constructor(
    private readonly contexts: StoredFlowContexts,
    private readonly runner: FlowRunner,
    private readonly logger: Logger,
    private readonly window: number,
  ) {}

  async scan(now: number): Promise<Scanned<DueRun>> {
    const { runs, dueAt } = await this.contexts.due(now, this.window);
    return { items: runs, dueAt };
  }

  async choose([run]: readonly DueRun[]): Promise<KeyChoice<DueRun>> {
    return run ? { take: run } : { wait: true };
  }

  async claim(run: DueRun, now: number, leaseUntil: number): Promise<DueRun | null> {
    return (await this.contexts.claim(run._id, now, leaseUntil)) ? run : null;
  }

  renewClaim(run: DueRun, leaseUntil: number): Promise<void> {
    return this.contexts.renewClaim(run._id, leaseUntil);
  }

  /** Each run is a key of its own: nothing comes after it. */
  async nextReady(): Promise<null> {
    return null;
  }

  /**
   * The first call (the worker's start, or else its first scan) is not waited for: it reads the runs
   * left running, and on the embedded store that loads every stored context,
   * which would make the start grow with them. The release before the next
   * scan waits for it, so that scan sees those runs due.
   */
  async releaseExpired(now: number): Promise<number> {
    if (this.atStart === undefined) {
      this.atStart = this.contexts.releaseExpired(now).then(
        (released) => released > 0 && this.logger.info({ released }, 'flow run waker: runs held by a stopped process are due again'),
        (error: unknown) => this.logger.error({ err: error }, 'flow run waker: releasing the runs held by a stopped process failed; they resume when their leases run out'),
      );
      return 0;
    }
    await this.atStart;
    return this.contexts.releaseExpired(now);
  }

  async handle(run: DueRun): Promise<void> {
    try {
      const context = await this.runner.resume(run._id);
      this.logger.debug({ contextId: run._id, status: context.status }, 'flow run resumed');
    } catch (error) {
      this.logger.error({ err: error, contextId: run._id }, 'resuming a flow run failed; it will be tried again when its lease runs out');
    }
  }
}

/** The flow engine's waker: due runs, resumed by the keyed queue worker. `now` says when runs are due: a test's clock makes an hour's wait pass at once. */
export function runWaker(contexts: StoredFlowContexts, runner: FlowRunner, logger: Logger, options: WorkerOptions = {}, now: Clock = Date.now): KeyedWorker<DueRun> {
  const settings = workerOptions({ ...WAKER_DEFAULTS, ...options });
  // Twice the runs resumed at once per scan: enough to fill the free slots without reading every due run.
  return new KeyedWorker(new WakeWork(contexts, runner, logger, settings.concurrency * 2), logger, 'flow run waker', settings, now);
}
