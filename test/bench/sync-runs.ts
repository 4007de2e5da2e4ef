import type { ServerPids } from '../support/mongodb-server.js';
import type { SyncPair } from '../support/sync-pair.js';
import { cpuMsOf } from './cpu-time.js';
import { metricsDigest } from './metrics-digest.js';
import { processUseOf, type ProcessUse } from './process-use.js';
import { printStoreOps, storeOpsOf } from './store-ops.js';
import { writeAsFastAsAccepted, writeAtRate } from './sync-load.js';
import { changesPerSecond, printLatency, printStages } from './sync-report.js';
import { timesOf, untilApplied } from './sync-timeline.js';
import { TableWriter } from './table-writer.js';

type Print = (line: string) => void;
/** The CPU ms the database server's processes used, FerretDB's and PostgreSQL's. */
interface ServerCpu {
  ferretdb: number;
  postgresql: number;
}
/** A's and B's use, and the database server's, where the bench started it. */
type PairUse = [ProcessUse | undefined, ProcessUse | undefined, ServerCpu | undefined];

/** Writes in flight during the throughput runs. */
export const CONCURRENCY = Number(process.env.LOCKSTEP_BENCH_CONCURRENCY ?? 32);
const APPLY_TIMEOUT_MS = 30 * 60_000;
const WARM_UP_RECORDS = 100;

/** The runs of the sync bench on one pair: each writes on A, waits until B applied it all, and prints what it measured. */
export class SyncRuns {
  /** Changes written so far, which B has to have applied before a run's figures are read. */
  private written = 0;

  constructor(
    private readonly pair: SyncPair,
    private readonly print: Print,
    /** The database server's processes, when the bench started it: its CPU per change is printed beside A's and B's. */
    private readonly serverPids?: () => Promise<ServerPids>,
  ) {}

  /** A few changes, unmeasured, so both processes run compiled code when the measuring starts. */
  async warmUp(): Promise<void> {
    const writes = await this.withWriter((writer) => writeAsFastAsAccepted(writer, WARM_UP_RECORDS, CONCURRENCY, () => undefined));
    await this.settle(writes.length);
  }

  /** `records` incidents created, updated and commented on as fast as A takes them; changes/s end to end. */
  async throughput(run: number, records: number): Promise<number> {
    this.print(`  throughput run ${run}: ${records.toLocaleString('en')} incidents created, then updated, then commented on (${(records * 3).toLocaleString('en')} changes), ${CONCURRENCY} writes in flight`);
    const [useBefore, opsBefore] = await Promise.all([this.use(), storeOpsOf(this.pair)]);
    const writes = await this.withWriter((writer) => writeAsFastAsAccepted(writer, records, CONCURRENCY, this.print));
    await this.settle(writes.length);
    const [useAfter, opsAfter] = await Promise.all([this.use(), storeOpsOf(this.pair)]);
    const changes = await timesOf(this.pair.a.api, this.pair.b.api, writes);
    const { perSecond, seconds } = changesPerSecond(changes);
    this.print(`    ${Math.round(perSecond).toLocaleString('en')} changes/s end to end (${changes.length.toLocaleString('en')} changes, first write on A to last applied on B in ${seconds.toFixed(2)} s)`);
    this.printUse(useBefore, useAfter, changes.length);
    printStoreOps(this.print, opsBefore, opsAfter, changes.length, '    ');
    printLatency(this.print, changes, '    ');
    printStages(this.print, changes, '    ');
    return perSecond;
  }

  /** Changes offered at `perSecond` for `seconds`, whether or not A keeps up; each change's latency and stages. */
  async latency(perSecond: number, seconds: number): Promise<void> {
    const count = Math.max(3, Math.round(perSecond * seconds));
    this.print(`  latency run: ${count.toLocaleString('en')} changes offered at ${perSecond.toLocaleString('en')} changes/s (creates, updates and comments, open loop)`);
    const [useBefore, opsBefore] = await Promise.all([this.use(), storeOpsOf(this.pair)]);
    const { writes, lateness } = await this.withWriter((writer) => writeAtRate(writer, count, perSecond, this.print));
    await this.settle(writes.length);
    const [useAfter, opsAfter] = await Promise.all([this.use(), storeOpsOf(this.pair)]);
    // What an operator's curl of /metrics shows on each side, once the run's changes are applied. Not during the
    // run: a scrape counts each queue's items by state, and FerretDB reads every item it counts, about a second of
    // its CPU for the 10,000 processed items three runs leave. Scraped halfway through, it put the MongoDB pair's
    // p99 at 1,074 and 1,844 ms; left out, 65 ms (88 changes/s offered).
    await this.printMetrics();
    const changes = await timesOf(this.pair.a.api, this.pair.b.api, writes);
    this.print(`    load sent on schedule: ${lateness.filter((late) => late <= 5).length} of ${lateness.length} within 5 ms of their slot`);
    this.printUse(useBefore, useAfter, changes.length);
    printStoreOps(this.print, opsBefore, opsAfter, changes.length, '    ');
    printLatency(this.print, changes, '    ');
    printStages(this.print, changes, '    ');
  }

  /**
   * CPU each process uses while nothing is written, over `seconds`, as a
   * share of one core: what an idle pair costs, its scans backed off.
   */
  async idle(seconds: number): Promise<void> {
    const [before, opsBefore] = await Promise.all([this.use(), storeOpsOf(this.pair)]);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const [after, opsAfter] = await Promise.all([this.use(), storeOpsOf(this.pair)]);
    const share = (index: 0 | 1) => {
      const [from, to] = [before[index], after[index]];
      return from === undefined || to === undefined ? 'unknown' : `${((to.cpuMs - from.cpuMs) / (seconds * 10)).toFixed(2)}%`;
    };
    this.print(`  idle for ${seconds} s: A ${share(0)}, B ${share(1)} of one core (goal < 2% each)`);
    printStoreOps(this.print, opsBefore, opsAfter, seconds, '    ', 'second');
  }

  private async printMetrics(): Promise<void> {
    const [a, b] = await Promise.all([metricsDigest(this.pair.a.url), metricsDigest(this.pair.b.url)]);
    this.print(`    /metrics after the run, A: ${a}`);
    this.print(`    /metrics after the run, B: ${b}`);
  }

  /** A writer of its own for each run: kept-alive sockets left idle between runs would be closed under it. */
  private async withWriter<T>(work: (writer: TableWriter) => Promise<T>): Promise<T> {
    const writer = new TableWriter(this.pair.a.url, 'agent', this.pair.agentPassword);
    try {
      return await work(writer);
    } finally {
      writer.close();
    }
  }

  /** Waits until B applied every change written so far. */
  private async settle(count: number): Promise<void> {
    this.written += count;
    await untilApplied(this.pair.a.api, this.pair.b.api, this.written, this.print, APPLY_TIMEOUT_MS);
  }

  /** What A and B used so far. */
  private use(): Promise<PairUse> {
    return Promise.all([processUseOf(this.pair.a.process.child.pid), processUseOf(this.pair.b.process.child.pid), this.serverCpuMs()]);
  }

  private async serverCpuMs(): Promise<ServerCpu | undefined> {
    if (this.serverPids === undefined) return undefined;
    const { ferretdb, postgresql } = await this.serverPids();
    const sum = async (pids: number[], withExitedChildren = false) =>
      (await Promise.all(pids.map((pid) => cpuMsOf(pid, withExitedChildren)))).reduce<number>((total, ms) => total + (ms ?? 0), 0);
    // PostgreSQL's autovacuum workers and ended connections exit between two looks; the postmaster that waited for them holds their CPU.
    const [postmaster, ...backends] = postgresql;
    return { ferretdb: await sum(ferretdb), postgresql: (await sum([postmaster], true)) + (await sum(backends)) };
  }

  /** Their whole process, threads included (file writes, garbage collection): what the machine gave each change. */
  private printUse([a0, b0, server0]: PairUse, [a1, b1, server1]: PairUse, changes: number): void {
    if (a0 === undefined || b0 === undefined || a1 === undefined || b1 === undefined) return;
    const cpu = (used: number) => `${Math.round((used / changes) * 1000).toLocaleString('en')} µs`;
    this.print(`    CPU per change: A ${cpu(a1.cpuMs - a0.cpuMs)}, B ${cpu(b1.cpuMs - b0.cpuMs)} (A ${((a1.cpuMs - a0.cpuMs) / 1000).toFixed(1)} s, B ${((b1.cpuMs - b0.cpuMs) / 1000).toFixed(1)} s in all; goal ≤ 500 µs each)`);
    if (server0 !== undefined && server1 !== undefined) {
      const [ferretdb, postgresql] = [server1.ferretdb - server0.ferretdb, server1.postgresql - server0.postgresql];
      this.print(`    CPU per change of the database server (for A and B together): ${cpu(ferretdb + postgresql)} (FerretDB ${cpu(ferretdb)}, PostgreSQL ${cpu(postgresql)})`);
    }
    const bytes = (written: number) => `${Math.round(written / changes).toLocaleString('en')} B`;
    this.print(`    bytes written to files per change: A ${bytes(a1.fileBytes - a0.fileBytes)}, B ${bytes(b1.fileBytes - b0.fileBytes)} (the runtime's own files: data and logs; a MongoDB server's writes are its own)`);
  }
}
