import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const startTimeoutMs = 20_000;
const stopTimeoutMs = 5_000;
const logTailLines = 30;

export interface RunningFerretDb {
  uri: string;
  /** e.g. "FerretDB v1.24.2 on 127.0.0.1:40123" */
  description: string;
  stop(): Promise<void>;
}

/** `LOCKSTEP_FERRETDB_BIN`, else the one .ci/install-ferretdb.sh installs, else one on PATH. */
export async function findFerretDbBinary(repoRoot: string): Promise<string | undefined> {
  const explicit = process.env.LOCKSTEP_FERRETDB_BIN;
  if (explicit !== undefined && explicit !== '') {
    if (!(await isExecutable(explicit))) throw new Error(`LOCKSTEP_FERRETDB_BIN=${explicit} is not an executable file`);
    return explicit;
  }
  const candidates = [path.join(repoRoot, '.tools', 'bin', 'ferretdb'), ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'ferretdb'))];
  for (const candidate of candidates) {
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Starts FerretDB on SQLite in a fresh temporary directory, on a free loopback port. */
export async function startFerretDb(binary: string): Promise<RunningFerretDb> {
  const version = await ferretDbVersion(binary);
  const port = await freeLoopbackPort();
  const workDir = await mkdtemp(path.join(tmpdir(), 'lockstep-ferretdb-'));
  const dataDir = path.join(workDir, 'data');
  await mkdir(dataDir);
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}/`,
    `--listen-addr=127.0.0.1:${port}`,
    '--telemetry=disable',
    '--debug-addr=-',
    // FerretDB otherwise writes its state file into the current directory, which is the repository.
    `--state-dir=${workDir}`,
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = collectLogTail(child);
  // If the test run dies without its teardown, do not leave FerretDB listening.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
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
  return { uri: `mongodb://127.0.0.1:${port}/`, description: `FerretDB ${version} on 127.0.0.1:${port}`, stop };
}

async function ferretDbVersion(binary: string): Promise<string> {
  const { stdout } = await promisify(execFile)(binary, ['--version']);
  return /^version:\s*(\S+)/m.exec(stdout)?.[1] ?? 'of unknown version';
}

/** Asks the kernel for a free port; FerretDB takes it a moment later, a race small enough for tests. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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
    if (await accepts(port)) return;
    if (Date.now() > deadline) {
      throw new Error(`FerretDB did not accept connections on 127.0.0.1:${port} within ${startTimeoutMs / 1000} s; its log ends:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
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
