import type { SyncEnvelope } from '@lockstep/schema';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectEveryChangeOnce } from '../support/exactly-once.js';
import { recordsLabelled } from '../support/incident-case.js';
import { createIncidents, interleavedUpdates } from '../support/incident-updates.js';
import { InstanceProcesses } from '../support/instance-processes.js';
import { startMongoDbServer } from '../support/mongodb-server.js';
import { startSyncPair } from '../support/sync-pair.js';
import { untilAllSentAndApplied, queueItems } from '../support/sync-queues.js';
import { spreadOf } from './stats.js';

export interface MultiProcessBenchOptions {
  /** Runtime processes of the consumer (A) on its one database. @default 3 */
  processes?: number;
  /** Changes made, the records' creates included. @default 5000 */
  changes?: number;
  /** @default 200 */
  records?: number;
  /** Table API requests in flight, spread over the processes. @default 16 */
  writers?: number;
  /** Kills one process with SIGKILL, and restarts it, this often; none when undefined. */
  killEveryMs?: number;
  /**
   * How long the changes may take to be applied after the last write. @default
   * 600_000, or as long as the writes took if longer: B applies while A is
   * written, so a backlog left at the end of a long run of kills is applied
   * at about the pace it built up, not in a fixed 10 minutes.
   */
  settleMs?: number;
  progress?: (line: string) => void;
}

export interface MultiProcessBenchResult {
  /** Where the database ran: MONGODB_URI, or FerretDB on PostgreSQL. */
  server: string;
  processes: number;
  /** Changes A's records hold: `changes`, and any a request cut short by a kill made again. */
  changes: number;
  kills: number;
  /** Changes over the time from the first update to the last apply on B. */
  changesPerSecond: number;
  /** From A's capture of a change to the end of B's apply, in ms. */
  p50Ms: number;
  p99Ms: number;
}

const LABEL = 'Bench shared';

/**
 * `processes` runtime processes of the consumer on the MongoDB adapter, on
 * one database, and one provider: `changes` over `records` written through
 * the Table API spread over the consumer's processes, while one is killed
 * and restarted every `killEveryMs`. Needs MONGODB_URI, or FerretDB and
 * PostgreSQL installed (.ci/run installs them).
 */
export async function multiProcessBench(options: MultiProcessBenchOptions = {}): Promise<MultiProcessBenchResult> {
  const { processes: count = 3, changes = 5_000, records = 200, writers = 16, killEveryMs, settleMs, progress = () => {} } = options;
  // Each record's create is one of the changes; the rest are its updates.
  if (changes < records) throw new Error(`${changes} changes cannot cover ${records} records, whose creates are changes too: ask for at least ${records} (LOCKSTEP_BENCH_MULTI_CHANGES), or fewer records (LOCKSTEP_BENCH_MULTI_RECORDS)`);
  const server = await startMongoDbServer();
  if ('missing' in server) throw new Error(`the multi-process bench needs a MongoDB-wire server: ${server.missing}`);
  const root = await mkdtemp(join(tmpdir(), 'lockstep-bench-multi-process-'));
  try {
    const pair = await startSyncPair(root, { kind: 'mongodb', uri: server.uri });
    const processes = await InstanceProcesses.start(pair, pair.a, count);
    try {
      progress(`${count} processes of A and one of B on ${server.label}`);
      const incidents = await createIncidents(pair.a, records, LABEL);
      const started = performance.now();
      await processes.sendAll(interleavedUpdates(incidents, changes - records, LABEL), writers, killEveryMs === undefined ? { atShares: [] } : { everyMs: killEveryMs });
      const writesMs = performance.now() - started;
      progress(`${changes - records} updates acknowledged in ${Math.round(writesMs)} ms, ${processes.kills} kills`);
      // The process killed last may be the pair's own, which A's records are read through: read once it is up again.
      await processes.allUp();
      const made = (await recordsLabelled(pair.a, 'incident', LABEL)).reduce((sum, incident) => sum + incident.sys_mod_count + 1, 0);
      await untilAllSentAndApplied(pair.a, pair.b, made, settleMs ?? Math.max(600_000, writesMs), 500);
      // Throws unless each change was sent once and applied once, in A's order, and B's cases equal A's incidents.
      await expectEveryChangeOnce(pair, LABEL);
      progress(`${made} changes over ${records} records applied on B exactly once and in order, ${Math.round(performance.now() - started - writesMs)} ms after the last update`);
      const latencies = await captureToApply(pair.a, pair.b);
      const seconds = (Math.max(...latencies.map(({ appliedAt }) => appliedAt)) - Math.min(...latencies.map(({ capturedAt }) => capturedAt))) / 1000;
      const spread = spreadOf(latencies.map(({ appliedAt, capturedAt }) => appliedAt - capturedAt));
      return { server: server.label, processes: count, changes: made, kills: processes.kills, changesPerSecond: made / seconds, p50Ms: spread.p50, p99Ms: spread.p99 };
    } finally {
      await processes.close();
      await pair.close();
    }
  } finally {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

interface CapturedItem {
  record: { sys_id: string; mod_count: number };
  captured_at: number;
}

/** Each change's capture on A and the end of its apply on B, matched by record and mod count. */
async function captureToApply(a: Parameters<typeof queueItems>[0], b: Parameters<typeof queueItems>[0]): Promise<{ capturedAt: number; appliedAt: number }[]> {
  const [sent, applied] = await Promise.all([queueItems(a, 'outbound'), queueItems(b, 'inbound')]);
  const capturedAt = new Map((sent as unknown as CapturedItem[]).map((item) => [`${item.record.sys_id}#${item.record.mod_count}`, item.captured_at]));
  return applied.flatMap((item) => {
    const { payload } = JSON.parse(item.payload_json) as SyncEnvelope;
    const captured = capturedAt.get(`${payload.sys_id}#${payload.metadata.mod_count}`);
    return captured === undefined || item.finished_at === null ? [] : [{ capturedAt: captured, appliedAt: item.finished_at }];
  });
}
