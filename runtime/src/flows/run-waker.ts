import type { FlowRunner } from '@lockstep/flow';
import type { Logger } from 'pino';
import type { StoredFlowContexts } from './context-store.js';

export interface RunWakerOptions {
  /** How often to look for due runs. @default 250 */
  intervalMs?: number;
  /** How long a claim holds a run before another process may take it. @default 60000 */
  leaseMs?: number;
  /** Runs resumed at once. @default 4 */
  concurrency?: number;
}

/**
 * Resumes runs whose wait or retry is due, and runs whose process died, from
 * the database: durable waits need nothing kept in memory.
 */
export class RunWaker {
  private timer: NodeJS.Timeout | undefined;
  private readonly active = new Set<Promise<void>>();
  private stopped = false;
  private readonly intervalMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;

  constructor(
    private readonly contexts: StoredFlowContexts,
    private readonly runner: FlowRunner,
    private readonly logger: Logger,
    options: RunWakerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 250;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.concurrency = options.concurrency ?? 4;
  }

  /**
   * `ownsStore`: this process is the only one on its store (the embedded
   * one), so every run marked running was left by a previous process and is
   * resumed now rather than when its lease runs out.
   */
  async start(ownsStore: boolean): Promise<void> {
    if (ownsStore) {
      const orphans = await this.contexts.running();
      if (orphans.length > 0) this.logger.info({ runs: orphans.length }, 'resuming flow runs left running by the previous process');
      for (const id of orphans) this.resume(id);
    }
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.active]);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick().catch((error: unknown) => this.logger.error({ err: error }, 'looking for due flow runs failed; trying again'));
    }, this.intervalMs);
  }

  private async tick(): Promise<void> {
    try {
      while (!this.stopped && this.active.size < this.concurrency) {
        const id = await this.contexts.claimDue(Date.now(), this.leaseMs);
        if (id === null) break;
        this.resume(id);
      }
    } finally {
      this.schedule();
    }
  }

  private resume(id: string): void {
    const run = this.runner.resume(id).then(
      (context) => this.logger.debug({ contextId: id, status: context.status }, 'flow run resumed'),
      (error: unknown) => this.logger.error({ err: error, contextId: id }, 'resuming a flow run failed; it will be tried again when its lease runs out'),
    );
    const tracked = run.finally(() => this.active.delete(tracked));
    this.active.add(tracked);
  }
}
