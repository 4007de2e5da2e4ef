import { setTimeout as sleep } from 'node:timers/promises';
import { DemoApi } from '../../runtime/src/demo/api.js';
import { inParallel, type IncidentUpdate } from './incident-updates.js';
import type { RuntimeProcess } from './runtime-process.js';
import { freePort, until, type PairInstance, type SyncPair } from './sync-pair.js';

/** One runtime process of an instance, and how often it was killed: a request it was answering when killed goes again. */
interface InstanceProcess {
  api: DemoApi;
  up: boolean;
  lives: number;
  /** Kills it with SIGKILL and resolves once it is started again on its port and listening. */
  killAndRestart(): Promise<void>;
  stop(): Promise<unknown>;
}

/** When the next process is killed: once each of these shares of the stream is acknowledged, or every so many ms. */
export type KillSchedule = { atShares: number[] } | { everyMs: number };

/** A request cut short by a kill goes again this many times at most. */
const MAX_SENDS = 10;

/**
 * The runtime processes of one instance on one MongoDB database: the pair's
 * own process, and more started on ports of their own. Writes through the
 * Table API are spread over those up; one at a time is killed and restarted.
 */
export class InstanceProcesses {
  private turn = 0;
  /** Kills so far. */
  kills = 0;
  /** Updates sent and answered so far. */
  acknowledged = 0;

  private constructor(private readonly processes: InstanceProcess[]) {}

  /** `count` processes of `instance`: its own, and `count - 1` more. */
  static async start(pair: SyncPair, instance: PairInstance, count: number): Promise<InstanceProcesses> {
    const own: InstanceProcess = {
      api: instance.api,
      up: true,
      lives: 1,
      async killAndRestart() {
        await instance.stop('SIGKILL');
        await instance.start();
      },
      // The pair closes its own process.
      stop: async () => undefined,
    };
    const more = await Promise.all(Array.from({ length: count - 1 }, () => startAnother(pair, instance)));
    return new InstanceProcesses([own, ...more]);
  }

  /** The restart of the process killed last. */
  private restarting: Promise<void> = Promise.resolve();

  /** Kills the next process in turn with SIGKILL, once the one before is up again, and starts it again; writes go to the others meanwhile. */
  private async killNext(): Promise<void> {
    await this.restarting;
    // The pair's own process, which the peer calls, last: the first kill takes one the writes alone reach.
    const process = this.processes[(this.kills + 1) % this.processes.length]!;
    this.kills += 1;
    process.up = false;
    process.lives += 1;
    this.restarting = process.killAndRestart().then(() => {
      process.up = true;
    });
  }

  /** Resolves once the process killed last is up again. */
  allUp(): Promise<void> {
    return this.restarting;
  }

  /**
   * Sends `update` through the next process up; one a kill cut short goes
   * again through another. Whether the cut request was made, A's records
   * say (the mod count): every change they hold must reach B once, however
   * many requests made it.
   */
  async send(update: IncidentUpdate): Promise<void> {
    for (let sent = 1; ; sent++) {
      const process = await until(async () => this.nextUp(), 'a process of the instance is up', 30_000);
      const life = process.lives;
      try {
        await process.api.call('PATCH', `/api/now/table/incident/${update.sysId}`, update.values);
        this.acknowledged += 1;
        return;
      } catch (error) {
        if (process.lives === life || sent >= MAX_SENDS) throw error;
      }
    }
  }

  /** Sends every update, `writers` at once, spread over the processes, killing one after another as `kills` says until all are sent (the last killed may still be starting: allUp). */
  async sendAll(updates: readonly IncidentUpdate[], writers: number, kills: KillSchedule): Promise<void> {
    let streaming = true;
    const stream = inParallel(updates, writers, (update) => this.send(update)).finally(() => {
      streaming = false;
    });
    const killer = async (): Promise<void> => {
      for (let kill = 0; streaming; kill++) {
        if ('everyMs' in kills) await sleep(kills.everyMs);
        else {
          const share = kills.atShares[kill];
          if (share === undefined) return;
          await until(async () => !streaming || this.acknowledged >= share * updates.length, `${share * 100}% of the stream is acknowledged`, 60_000);
        }
        if (streaming) await this.killNext();
      }
    };
    await Promise.all([stream, killer()]);
  }

  /** Kills the processes this started. */
  async close(): Promise<void> {
    await Promise.all(this.processes.map((process) => process.stop()));
  }

  private async nextUp(): Promise<InstanceProcess | undefined> {
    for (let tried = 0; tried < this.processes.length; tried++) {
      const process = this.processes[this.turn++ % this.processes.length]!;
      if (process.up) return process;
    }
    return undefined;
  }
}

async function startAnother(pair: SyncPair, instance: PairInstance): Promise<InstanceProcess> {
  const port = await freePort();
  let running: RuntimeProcess = await instance.another(port);
  return {
    api: new DemoApi(instance.name, running.url, 'admin', pair.adminPassword),
    up: true,
    lives: 1,
    async killAndRestart() {
      await running.stop('SIGKILL');
      running = await instance.another(port);
    },
    stop: () => running.stop('SIGKILL'),
  };
}
