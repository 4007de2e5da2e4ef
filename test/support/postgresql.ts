import { execFile, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isExecutable, pathDirectories } from './executables.js';
import { freeLoopbackPort } from './loopback.js';
import { saveStatementStats, statementStatsQuery, statementStatsSettings } from './statement-stats.js';

const installHint = 'apt-get install -y postgresql';
/** The cluster's only role; loopback connections are trusted, so it needs no password. */
const superuser = 'lockstep';
const startTimeoutS = 60;
const logTailLines = 30;
const tools = ['initdb', 'pg_ctl', 'createdb', 'psql'] as const;
/** Gives FerretDB's btree indexes the GIN twins its containment filters can use; every database made from template1 has it. */
const containmentIndexes = fileURLToPath(new URL('containment-indexes.sql', import.meta.url));

export interface RunningPostgreSql {
  /** e.g. "PostgreSQL 15.18 on 127.0.0.1:40123 and a Unix socket" */
  description: string;
  /** Creates an empty database and answers its URL. */
  createDatabase(name: string): Promise<string>;
  /** The cluster's processes now: the postmaster and its children (a bench adds up their CPU). */
  pids(): Promise<number[]>;
  stop(): Promise<void>;
}

/** The account the cluster runs as: the current user, or `postgres` when that is root. */
interface Owner {
  name: string;
  uid?: number;
  gid?: number;
}

/** The directory holding initdb, pg_ctl, createdb and psql: Debian's newest /usr/lib/postgresql/<major>/bin, else one on PATH. */
export async function findPostgreSqlBin(): Promise<string | undefined> {
  const debianRoot = '/usr/lib/postgresql';
  const majors = (await readdir(debianRoot).catch(() => [])).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  for (const dir of [...majors.map((major) => path.join(debianRoot, major, 'bin')), ...pathDirectories()]) {
    if ((await Promise.all(tools.map((tool) => isExecutable(path.join(dir, tool))))).every(Boolean)) return dir;
  }
  return undefined;
}

export const postgreSqlMissing = `no PostgreSQL server binaries (initdb, pg_ctl, createdb, psql) under /usr/lib/postgresql/*/bin or on PATH; install them with: ${installHint}`;

/**
 * Starts a throwaway cluster for tests: initdb into a fresh temporary
 * directory, listening on 127.0.0.1 only (its unix socket stays in that
 * directory), trusting loopback, without fsync. `stop` removes it all, and so
 * does this process's exit if nobody called `stop`.
 */
export async function startPostgreSql(binDir: string): Promise<RunningPostgreSql> {
  const owner = await clusterOwner();
  const version = await postgreSqlVersion(binDir);
  const workDir = await mkdtemp(path.join(tmpdir(), 'lockstep-postgresql-'));
  const dataDir = path.join(workDir, 'data');
  const logFile = path.join(workDir, 'postgresql.log');
  const run = (tool: (typeof tools)[number], args: string[]) => runTool(binDir, tool, args, owner, workDir);
  let port: number | undefined;

  const stopOnExit = (): void => {
    try {
      execFileSync(path.join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-s'], { cwd: workDir, uid: owner.uid, gid: owner.gid, stdio: 'ignore' });
    } catch {
      // Not started, or already stopped: there is only the directory left to remove.
    }
    rmSync(workDir, { recursive: true, force: true });
  };
  process.once('exit', stopOnExit);
  const stop = async (): Promise<void> => {
    process.off('exit', stopOnExit);
    if (port !== undefined) {
      const at = port;
      await saveStatementStats(at, async () => (await promisify(execFile)(path.join(binDir, 'psql'), ['-h', '127.0.0.1', '-p', String(at), '-U', superuser, '-d', 'postgres', '-X', '-q', '-c', statementStatsQuery], { maxBuffer: 64 * 1024 * 1024 })).stdout);
    }
    try {
      await run('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-s']);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  };

  try {
    if (owner.uid !== undefined && owner.gid !== undefined) await chown(workDir, owner.uid, owner.gid);
    console.log(`postgresql: initdb of a throwaway ${version} cluster in ${workDir} (as user ${owner.name})`);
    await run('initdb', ['-D', dataDir, '-U', superuser, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    port = await freeLoopbackPort();
    await appendFile(path.join(dataDir, 'postgresql.conf'), clusterSettings(port, workDir));
    console.log(`postgresql: starting it on 127.0.0.1:${port}`);
    await run('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', String(startTimeoutS), '-s']).catch(async (error: Error) => {
      throw new Error(`${error.message}\nits log ends:\n${await logTail(logFile)}\nIf the port was taken meanwhile, run again.`);
    });
    // Passed as text, not as a path: as root the cluster's user may not read the checkout.
    await run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', superuser, '-d', 'template1', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', await readFile(containmentIndexes, 'utf8')]);
    const createDatabase = async (name: string): Promise<string> => {
      await run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', superuser, name]);
      // Over the cluster's Unix socket, as a PostgreSQL beside its FerretDB is reached: FerretDB makes three or
      // four round trips to it for each write (begin, read, write, commit), and on loopback TCP the kernel's
      // handling of each took a tenth of the database server's CPU. Quick sync benches, FerretDB's and
      // PostgreSQL's CPU a change over TCP then the socket: 7.46 then 6.55 ms, 6.52 then 5.73 ms.
      return `postgres://${superuser}@/${name}?host=${encodeURIComponent(workDir)}&port=${port}`;
    };
    const pids = async (): Promise<number[]> => {
      const postmaster = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      return [postmaster, ...(await childrenOf(postmaster))];
    };
    return { description: `${version} on 127.0.0.1:${port} and a Unix socket`, createDatabase, pids, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** A test cluster: nothing in it needs to survive a crash, so it skips the work that makes data durable. */
function clusterSettings(port: number, socketDir: string): string {
  return [
    '',
    '# lockstep tests',
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${socketDir}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    // FerretDB sends a filter's field names as parameters ("_jsonb->$1 @> $2"), so one statement serves every
    // one-field find of a collection. Left to choose, PostgreSQL settles on a generic plan for it after five
    // calls, and a generic plan cannot use an index over one field's expression: the relay's look-up of records
    // with intents read all of table_task (2 ms a call at 1,000 incidents). Planned with the values, it uses the
    // index MongoDB would.
    'plan_cache_mode = force_custom_plan',
    // A queue item or a record is 2 to 3 KB of JSON in FerretDB's jsonb, and a flow context 7 to 10 KB, past the
    // 2 KB where PostgreSQL compresses a row, on every write. Its own pglz is several times slower than lz4, which
    // is nearer what a MongoDB server does (WiredTiger compresses with snappy): quick benches, PostgreSQL's CPU a
    // change 3.64 and 3.67 ms with pglz, 3.32 to 3.42 with lz4.
    "default_toast_compression = 'lz4'",
    ...statementStatsSettings(),
    '',
  ].join('\n');
}

/** PostgreSQL refuses to run as root, so as root the cluster is Debian's `postgres` system user's. */
async function clusterOwner(): Promise<Owner> {
  if (process.getuid?.() !== 0) return { name: process.env.USER ?? 'the current user' };
  const id = async (flag: string) => Number((await promisify(execFile)('id', [flag, 'postgres'])).stdout.trim());
  try {
    return { name: 'postgres', uid: await id('-u'), gid: await id('-g') };
  } catch {
    throw new Error(`PostgreSQL refuses to run as root, and there is no postgres user to run it as; ${installHint} creates one (or run the tests as another user)`);
  }
}

async function postgreSqlVersion(binDir: string): Promise<string> {
  const { stdout } = await promisify(execFile)(path.join(binDir, 'pg_ctl'), ['--version']);
  return `PostgreSQL ${/\(PostgreSQL\)\s+(\S+)/.exec(stdout)?.[1] ?? 'of unknown version'}`;
}

async function runTool(binDir: string, tool: string, args: string[], owner: Owner, cwd: string): Promise<void> {
  try {
    await promisify(execFile)(path.join(binDir, tool), args, { cwd, uid: owner.uid, gid: owner.gid });
  } catch (error) {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`postgresql: ${tool} failed (as user ${owner.name}): ${(stderr || stdout || message).trim()}`, { cause: error });
  }
}

async function logTail(logFile: string): Promise<string> {
  const text = await readFile(logFile, 'utf8').catch(() => '(no log)');
  return text.split('\n').filter(Boolean).slice(-logTailLines).join('\n');
}

/** The processes whose parent is `parent`, from Linux's /proc. */
async function childrenOf(parent: number): Promise<number[]> {
  const children = await Promise.all(
    (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).map(async (entry) => {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      // The parent is the second field after the command name, which is in parentheses and may hold spaces.
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent ? [Number(entry)] : [];
    }),
  );
  return children.flat();
}
