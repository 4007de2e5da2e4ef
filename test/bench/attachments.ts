import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { basicAuth, downloadedSha256, uploadFile, writeRandomFile } from '../support/attachment-files.js';
import { attachmentsNamed, linkedRecords, type RecordRef } from '../support/attachment-pair.js';
import { startSyncPair, type PairInstance, type PairStore, type SyncPair } from '../support/sync-pair.js';
import { onEachBenchStore, running } from './bench-stores.js';
import { peakMemoryDuring } from './process-memory.js';
import { ms } from './stats.js';

type Print = (line: string) => void;

const MIB = 1024 * 1024;
/** The file the goal is about; a tenth of it runs first, to show that peak memory does not grow with the file. */
const LARGE_MB = Number(process.env.LOCKSTEP_BENCH_ATTACHMENT_MB ?? 200);
const SIZES_MB = [Math.max(1, Math.round(LARGE_MB / 10)), LARGE_MB];

const rate = (sizeMb: number, elapsedMs: number) => `${(sizeMb / (elapsedMs / 1000)).toFixed(1)} MB/s`;
const mib = (value: number) => `${Math.round(value)} MiB`;

/** How long A's push of this content to B took, as A logs it. */
function pushMsOf(side: PairInstance, sha256: string): number | undefined {
  const line = side.process.output.find((entry) => entry.includes('"attachment content pushed"') && entry.includes(`"sha256":"${sha256}"`));
  return line === undefined ? undefined : (JSON.parse(line) as { ms: number }).ms;
}

interface Cycle {
  uploadMs: number;
  syncMs: number;
  pushMs: number | undefined;
  downloadMs: number;
  before: number[];
  peak: number[];
}

/** One file: uploaded to A's incident, synced to B's case, downloaded from B and checked, with both processes' memory sampled throughout. */
async function cycle(pair: SyncPair, root: string, incident: RecordRef, kase: RecordRef, sizeMb: number): Promise<Cycle> {
  const auth = basicAuth('agent', pair.agentPassword);
  const name = `bench-${sizeMb}mb.bin`;
  const file = await writeRandomFile(root, name, sizeMb * MIB);
  const pids = [pair.a.process.child.pid, pair.b.process.child.pid].map((pid) => pid ?? 0);
  try {
    const { result, before, peak } = await peakMemoryDuring(pids, async () => {
      const started = performance.now();
      await uploadFile(pair.a, auth, incident, file.path, name);
      const uploaded = performance.now();
      const arrived = (await attachmentsNamed(kase, [name], 900_000)).find((attachment) => attachment.file_name === name)!;
      const synced = performance.now();
      const download = await downloadedSha256(pair.b, auth, arrived.sys_id);
      if (download.sha256 !== file.sha256) throw new Error(`B's copy of ${name} has sha256 ${download.sha256}, not ${file.sha256}`);
      return { uploadMs: uploaded - started, syncMs: synced - uploaded, downloadMs: performance.now() - synced };
    });
    return { ...result, pushMs: pushMsOf(pair.a, file.sha256), before, peak };
  } finally {
    await rm(file.path, { force: true });
  }
}

async function benchStore(label: string, store: PairStore, print: Print): Promise<void> {
  print(`attachments, ${label}: a file from an incident on A to its case on B, two runtime processes (${cpus().length} cores)`);
  const root = await mkdtemp(join(tmpdir(), 'lockstep-bench-attachments-'));
  let pair: SyncPair | undefined;
  const stop = async () => pair?.close();
  running.add(stop);
  try {
    pair = await startSyncPair(root, store, ['--attachment-extensions', 'bin']);
    const { incident, kase } = await linkedRecords(pair, `Attachment bench ${label}`);
    const peaks: number[][] = [];
    for (const sizeMb of SIZES_MB) {
      const run = await cycle(pair, root, incident, kase, sizeMb);
      peaks.push(run.peak);
      print(`  ${sizeMb} MB: upload to A ${rate(sizeMb, run.uploadMs)}; A → B ${rate(sizeMb, run.syncMs)} from the upload's end to the file on the case (${ms(run.syncMs)}: capture, envelope, request, push, completion, move)`);
      print(`    push of the content alone ${run.pushMs === undefined ? 'not logged' : `${rate(sizeMb, run.pushMs)} (${ms(run.pushMs)})`}; download from B, hashed ${rate(sizeMb, run.downloadMs)}`);
      print(`    peak RSS: A ${mib(run.peak[0] ?? 0)} (${mib(run.before[0] ?? 0)} before), B ${mib(run.peak[1] ?? 0)} (${mib(run.before[1] ?? 0)} before)`);
    }
    const [small, large] = peaks;
    if (small && large) {
      const growth = (index: number) => mib((large[index] ?? 0) - (small[index] ?? 0));
      print(`  peak RSS from the ${SIZES_MB[0]} MB file to the ${LARGE_MB} MB one: A ${growth(0)}, B ${growth(1)} more (goal: bounded, not growing with the file)`);
    }
  } finally {
    await stop();
    running.delete(stop);
    await rm(root, { recursive: true, force: true });
  }
}

/** `npm run bench -- attachments`: LOCKSTEP_BENCH_ATTACHMENT_MB sets the large file's size (200). */
export async function attachmentBench(print: Print): Promise<void> {
  await onEachBenchStore('attachments', print, (label, store) => benchStore(label, store, print));
}
