import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isExecutable, pathDirectories } from './executables.js';
import { acceptsOnLoopback, freeLoopbackPort } from './loopback.js';
import type { RunningPostgreSql } from './postgresql.js';

const startTimeoutMs = 20_000;
const stopTimeoutMs = 5_000;
const logTailLines = 30;
/**
 * Go's GOGC for FerretDB: the heap may grow by 400% of what was live at the last
 * collection before the next, not 100%. FerretDB decodes every document it reads and
 * writes into short-lived objects, and collecting them was a fifth of its CPU: 8,000
 * commands (look-ups, updates, inserts and deletes by _id) took 6.0 and 6.4 s of its
 * CPU, and 4.3 and 5.1 s with 400. It kept 48 MB resident in a sync bench, so the
 * test machine can spare a heap that grows further between collections.
 */
const GARBAGE_COLLECTION_PERCENT = '400';

export const ferretDbMissing = 'no ferretdb binary (set LOCKSTEP_FERRETDB_BIN, or run bash .ci/install-ferretdb.sh)';

export interface RunningFerretDb {
  uri: string;
  /** e.g. "FerretDB v1.24.2 on 127.0.0.1:40123 (PostgreSQL 15.18 on 127.0.0.1:40125 and a Unix socket)" */
  description: string;
  /** Its process, for a bench to read its CPU time. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** `LOCKSTEP_FERRETDB_BIN`, else the one .ci/install-ferretdb.sh installs, else one on PATH. */
export async function findFerretDbBinary(repoRoot: string): Promise<string | undefined> {
  const explicit = process.env.LOCKSTEP_FERRETDB_BIN;
  if (explicit !== undefined && explicit !== '') {
    if (!(await isExecutable(explicit))) throw new Error(`LOCKSTEP_FERRETDB_BIN=${explicit} is not an executable file`);
    return explicit;
  }
  const candidates = [path.join(repoRoot, '.tools', 'bin', 'ferretdb'), ...pathDirectories().map((dir) => path.join(dir, 'ferretdb'))];
  for (const candidate of candidates) {
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Starts FerretDB on a free loopback port, keeping its data in a database of
 * its own on `postgresql`. Its PostgreSQL backend, unlike its SQLite one,
 * pushes filters, sorts and limits down to indexes, as a MongoDB server does;
 * no test needs SQLite's, so there is none.
 */
export async function startFerretDb(binary: string, postgresql: RunningPostgreSql): Promise<RunningFerretDb> {
  const version = await ferretDbVersion(binary);
  const port = await freeLoopbackPort();
  const postgresqlUrl = await postgresql.createDatabase(`ferretdb_${port}`);
  const workDir = await mkdtemp(path.join(tmpdir(), 'lockstep-ferretdb-'));
  const args = [
    '--handler=postgresql',
    `--postgresql-url=${postgresqlUrl}`,
    `--listen-addr=127.0.0.1:${port}`,
    '--telemetry=disable',
    // LOCKSTEP_FERRETDB_DEBUG_ADDR (host:port) serves its pprof profiles, to see what it spends its CPU on.
    `--debug-addr=${process.env.LOCKSTEP_FERRETDB_DEBUG_ADDR || '-'}`,
    // FerretDB otherwise writes its state file into the current directory, which is the repository.
    `--state-dir=${workDir}`,
  ];
  console.log(`ferretdb: starting FerretDB ${version} on 127.0.0.1:${port}, backed by ${postgresqlUrl}`);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GOGC: GARBAGE_COLLECTION_PERCENT } });
  const log = collectLogTail(child);
  // If the test run dies without its teardown, do not leave FerretDB listening, nor its state behind.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
    rmSync(workDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    await stopProcess(child);
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    await waitUntilAccepting(child, port, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { uri: `mongodb://127.0.0.1:${port}/`, description: `FerretDB ${version} on 127.0.0.1:${port} (${postgresql.description})`, pid: child.pid, stop };
}

async function ferretDbVersion(binary: string): Promise<string> {
  const { stdout } = await promisify(execFile)(binary, ['--version']);
  return /^version:\s*(\S+)/m.exec(stdout)?.[1] ?? 'of unknown version';
}

function collectLogTail(child: ChildProcess): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - logTailLines));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

async function waitUntilAccepting(child: ChildProcess, port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`FerretDB exited (${child.exitCode ?? child.signalCode}) before accepting connections; its log ends:\n${log()}`);
    }
    if (await acceptsOnLoopback(port)) return;
    if (Date.now() > deadline) {
      throw new Error(`FerretDB did not accept connections on 127.0.0.1:${port} within ${startTimeoutMs / 1000} s; its log ends:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  }, stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}
