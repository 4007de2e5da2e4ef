import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareRelayBaseline } from './bare-relay.js';
import { startSyncPair, type PairStore, type SyncPair } from '../support/sync-pair.js';
import type { ServerPids } from '../support/mongodb-server.js';
import { benchesStore, onEachBenchStore, running } from './bench-stores.js';
import { multiProcessBench } from './multi-process.js';
import { countStoreOps } from './store-ops.js';
import { median } from './stats.js';
import { CONCURRENCY, SyncRuns } from './sync-runs.js';

type Print = (line: string) => void;

/**
 * Sync end to end: two real runtime processes paired as `npm start` pairs
 * them, incidents written on A (consumer) through its Table API, and the
 * moment B (provider) applied each change, read from both instances' queues.
 */
const GOAL_CHANGES_PER_SECOND = 2_000;
const GOAL_P99_MS = 250;
const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** How much each store is given: incidents per throughput run (each created, updated and commented on), runs, and the latency run's seconds. */
interface Scale {
  records: number;
  runs: number;
  seconds: number;
}

const embeddedScale: Scale = { records: setting('LOCKSTEP_BENCH_RECORDS', 1_000), runs: setting('LOCKSTEP_BENCH_RUNS', 3), seconds: setting('LOCKSTEP_BENCH_SECONDS', 5) };
/**
 * As many incidents as the embedded store's runs, so that the two rates are of the same work (at 100, the
 * MongoDB adapter's run lasted 5 s, mostly filling and draining the pipeline), and as many runs: the share is
 * of one median to the other. With one run against a median of three, a run the machine slowed (a fifth either
 * way on this shared machine) counted for the MongoDB adapter alone; each run lasts about 20 s.
 */
const mongodbScale: Scale = { records: setting('LOCKSTEP_BENCH_MONGODB_RECORDS', embeddedScale.records), runs: embeddedScale.runs, seconds: embeddedScale.seconds };

/** A directory for a CPU profile of each runtime process, written when they stop. */
const PROFILE_DIR = process.env.LOCKSTEP_BENCH_CPU_PROF;

async function benchPair(name: string, store: PairStore, scale: Scale, print: Print, serverPids?: () => Promise<ServerPids>): Promise<number> {
  const [one, five] = loadavg();
  print(`sync, ${name}: consumer A → provider B, two runtime processes (${cpus().length} cores; load average ${one?.toFixed(2)} over 1 min, ${five?.toFixed(2)} over 5)`);
  const root = await mkdtemp(join(tmpdir(), 'lockstep-bench-sync-'));
  let pair: SyncPair | undefined;
  const stop = async () => pair?.close();
  running.add(stop);
  try {
    const profiling: Record<string, string> = PROFILE_DIR ? { NODE_OPTIONS: `--import ${new URL('cpu-profile.mjs', import.meta.url).href}`, LOCKSTEP_BENCH_CPU_PROF: PROFILE_DIR } : {};
    pair = await startSyncPair(root, store, [], { ...countStoreOps, ...profiling });
    const runs = new SyncRuns(pair, print, serverPids);
    await runs.warmUp();
    const rates: number[] = [];
    for (let run = 1; run <= scale.runs; run++) rates.push(await runs.throughput(run, scale.records));
    const best = median(rates);
    print(`  throughput, median of ${scale.runs}: ${Math.round(best).toLocaleString('en')} changes/s (goal ≥ ${GOAL_CHANGES_PER_SECOND.toLocaleString('en')})`);
    // The goal's half rate, or half of what this machine managed when that is less.
    const rate = Math.max(1, Math.round(Math.min(GOAL_CHANGES_PER_SECOND, best) / 2));
    await runs.latency(setting('LOCKSTEP_BENCH_RATE', rate), scale.seconds);
    print(`  (latency goal: p99 < ${GOAL_P99_MS} ms at ${(GOAL_CHANGES_PER_SECOND / 2).toLocaleString('en')} changes/s)`);
    await runs.idle(setting('LOCKSTEP_BENCH_IDLE_SECONDS', 60));
    if (PROFILE_DIR) print('  (profiling costs each process about 5% of a core, idle or not)');
    return best;
  } finally {
    // A profile is written only by a process that exits on its own.
    if (PROFILE_DIR && pair) {
      await Promise.all([pair.a.stop('SIGTERM'), pair.b.stop('SIGTERM')]);
      print(`  CPU profiles of A and B are in ${PROFILE_DIR}`);
    }
    await stop();
    running.delete(stop);
    await rm(root, { recursive: true, force: true });
  }
}

/** The MongoDB adapter's goal, as a share of the embedded store's changes/s in the same run. */
const GOAL_MONGODB_SHARE = 0.25;

/** Lockstep's embedded pair's goal, as a share of the bare relay's changes/s in the same run. */
const GOAL_BASELINE_SHARE = 0.5;

/**
 * LOCKSTEP_BENCH_MULTI_ONLY=1 runs only the run with several consumer
 * processes on one MongoDB database (benchProcessesOnOneDatabase), without
 * the bare relay baseline and the pairs' runs, to work on that run alone.
 */
const MULTI_ONLY = process.env.LOCKSTEP_BENCH_MULTI_ONLY === '1';

export async function syncBench(print: Print): Promise<void> {
  if (MULTI_ONLY) return benchProcessesOnOneDatabase(print);
  const baseline = await bareRelayBaseline(embeddedScale.records, CONCURRENCY, print);
  const rates = new Map<string, number>();
  await onEachBenchStore('sync', print, async (label, store, serverPids) => {
    rates.set(store.kind, await benchPair(label, store, store.kind === 'embedded' ? embeddedScale : mongodbScale, print, serverPids));
  });
  if (benchesStore('mongodb')) await benchProcessesOnOneDatabase(print);
  const [embedded, mongodb] = [rates.get('embedded'), rates.get('mongodb')];
  if (embedded !== undefined) {
    print(`sync: the embedded pair made ${Math.round((embedded / baseline.changesPerSecond) * 100)}% of the bare relay baseline's changes/s in this run (goal ≥ ${GOAL_BASELINE_SHARE * 100}%)`);
  }
  if (embedded !== undefined && mongodb !== undefined) {
    print(`sync: the MongoDB adapter made ${Math.round((mongodb / embedded) * 100)}% of the embedded store's changes/s in this run (goal ≥ ${GOAL_MONGODB_SHARE * 100}%)`);
  }
}

/** Several consumer processes on one MongoDB database, as issue 14's multi-process test runs them, kills every LOCKSTEP_BENCH_MULTI_KILL_MS when set. */
async function benchProcessesOnOneDatabase(print: Print): Promise<void> {
  const processes = setting('LOCKSTEP_BENCH_MULTI_PROCESSES', 3);
  const changes = setting('LOCKSTEP_BENCH_MULTI_CHANGES', 300);
  const killEvery = process.env.LOCKSTEP_BENCH_MULTI_KILL_MS;
  if (changes === 0) {
    print(`sync, ${processes} consumer processes on one MongoDB database: skipped (LOCKSTEP_BENCH_MULTI_CHANGES=0)`);
    return;
  }
  print(`sync, ${processes} consumer processes on one MongoDB database: ${changes.toLocaleString('en')} changes${killEvery ? `, one process killed and restarted every ${killEvery} ms` : ''}`);
  const result = await multiProcessBench({ processes, changes, records: setting('LOCKSTEP_BENCH_MULTI_RECORDS', 30), killEveryMs: killEvery ? Number(killEvery) : undefined, progress: (line) => print(`    ${line}`) });
  print(`  ${Math.round(result.changesPerSecond * 10) / 10} changes/s on ${result.server}; capture on A → applied on B p50 ${Math.round(result.p50Ms)} ms, p99 ${Math.round(result.p99Ms)} ms; ${result.kills} kills`);
}
