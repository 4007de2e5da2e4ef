import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { newId } from '@lockstep/store';
import { recordsLabelled } from '../support/incident-case.js';
import { startSyncPair, until, type PairInstance, type SyncPair } from '../support/sync-pair.js';
import { running } from './bench-stores.js';
import { ms } from './stats.js';

type Print = (line: string) => void;

/** What the goal names: an instance holding this many flow contexts and as many records. */
const HELD = Number(process.env.LOCKSTEP_BENCH_RESTART_DOCUMENTS ?? 100_000);
const GOAL_MS = 2_000;
/**
 * The same start before the embedded store stopped loading every large file
 * (and making its indexes, and rewriting it) before the server listened:
 * measured on the 2-core machine, then at a load average of 21.
 */
const BEFORE = 'before this bench\'s change: listening after 181,545 ms';

interface NedbLine {
  _id?: string;
  [field: string]: unknown;
}

/** The documents of a NeDB datafile as they stand: later lines replace earlier ones, `$$deleted` removes. */
async function documentsOf(file: string): Promise<NedbLine[]> {
  const documents = new Map<string, NedbLine>();
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (line === '') continue;
    const doc = JSON.parse(line) as NedbLine;
    if (doc._id === undefined) continue;
    if (doc.$$deleted === true) documents.delete(doc._id);
    else documents.set(doc._id, doc);
  }
  return [...documents.values()];
}

/** Appends `count` copies of `template` to a datafile, each with its own ids made by `vary`. */
async function appendCopies(file: string, template: NedbLine, count: number, vary: (index: number, id: string) => NedbLine): Promise<void> {
  const out = createWriteStream(file, { flags: 'a' });
  for (let index = 0; index < count; index += 1) {
    const id = newId();
    const ok = out.write(`${JSON.stringify({ ...template, ...vary(index, id), _id: id })}\n`);
    if (!ok) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Real documents to copy: a completed outbound run on A and the incident it sent, made by syncing one incident to B. */
async function syncOneIncident(pair: SyncPair): Promise<void> {
  const label = `Restart bench ${newId().slice(0, 8)}`;
  const { body } = await pair.a.api.call('POST', '/api/now/table/incident', { short_description: label, description: 'A printer on the third floor jams on every job.' }, { expected: 201 });
  const sysId = (body.result as { sys_id: string }).sys_id;
  await pair.a.api.call('PATCH', `/api/now/table/incident/${sysId}`, { comments: 'Tried a new toner; still jams.', priority: '2' });
  await until(async () => (await recordsLabelled(pair.b, 'case', label))[0]?.comments.some((entry) => entry.value.startsWith('Tried a new toner')), 'the incident and its comment on B as a case', 30_000);
}

/** The time from spawning the process to its log line "listening", and to its first answer of /health. */
async function timedStart(instance: PairInstance): Promise<{ listeningMs: number; readyMs: number }> {
  const started = performance.now();
  await instance.start();
  const listeningMs = performance.now() - started;
  const health = await fetch(`${instance.process.url}/health`);
  if (!health.ok) throw new Error(`/health answered ${health.status} after the restart`);
  return { listeningMs, readyMs: performance.now() - started };
}

async function mib(file: string): Promise<string> {
  return `${((await stat(file)).size / 1024 / 1024).toFixed(0)} MiB`;
}

/**
 * `npm run bench -- restart`: how long the consumer of a synced pair takes
 * to start again once its embedded store holds HELD flow contexts and HELD
 * records (goal: under 2 s, from spawning `lockstep start` to answering
 * /health). The copies are of a real completed outbound run and the
 * incident it sent, written straight into the NeDB files.
 */
export async function restartBench(print: Print): Promise<void> {
  print(`restart, embedded store: the consumer started again holding ${HELD.toLocaleString('en')} flow contexts and ${HELD.toLocaleString('en')} records (${cpus().length} cores)`);
  const root = await mkdtemp(join(tmpdir(), 'lockstep-bench-restart-'));
  let pair: SyncPair | undefined;
  const stop = async () => pair?.close();
  running.add(stop);
  try {
    pair = await startSyncPair(root, { kind: 'embedded' });
    await syncOneIncident(pair);
    await pair.b.stop();
    await pair.a.stop();
    const empty = await timedStart(pair.a);
    print(`  with one incident: listening after ${ms(empty.listeningMs)}, /health answered after ${ms(empty.readyMs)}`);
    await pair.a.stop();

    const dataDir = join(root, 'consumer');
    const contextsFile = join(dataDir, 'sys_flow_context.db');
    const recordsFile = join(dataDir, 'table_task.db');
    const context = (await documentsOf(contextsFile)).find((doc) => doc.status === 'completed' && doc.test_run !== true);
    const record = (await documentsOf(recordsFile)).find((doc) => doc.sys_class_name === 'incident');
    if (!context || !record) throw new Error('the synced pair left no completed run or incident to copy');
    const now = Date.now();
    // Recent, so the retention sweep at start keeps them all; numbers after the seed's, which the unique index needs.
    await appendCopies(contextsFile, context, HELD, (index) => ({ created_at: now - index, updated_at: now - index }));
    await appendCopies(recordsFile, record, HELD, (index, id) => ({ sys_id: id, number: `INC${String(1_000_000 + index).padStart(7, '0')}` }));
    print(`  data files: sys_flow_context.db ${await mib(contextsFile)}, table_task.db ${await mib(recordsFile)}`);

    const full = await timedStart(pair.a);
    const verdict = full.readyMs < GOAL_MS ? 'met' : 'not met';
    print(`  holding them: listening after ${ms(full.listeningMs)}, /health answered after ${ms(full.readyMs)} (goal < ${ms(GOAL_MS)}: ${verdict}; ${BEFORE})`);
    print(`  what the stored documents add to the start: ${ms(full.readyMs - empty.readyMs)} (load average ${loadavg()[0]?.toFixed(2)})`);
    // The large files load on first use, in the background: what that costs shows here, not in the start.
    const listed = performance.now();
    await pair.a.api.call('GET', '/api/now/table/incident?sysparm_limit=1');
    const recordsMs = performance.now() - listed;
    await pair.a.api.call('GET', '/api/lockstep/v1/contexts?limit=1');
    print(`  after it, the first list of incidents answered after ${ms(recordsMs)}, then the first list of flow contexts after ${ms(performance.now() - listed - recordsMs)} more`);
  } finally {
    await pair?.close();
    running.delete(stop);
    await rm(root, { recursive: true, force: true });
  }
}
