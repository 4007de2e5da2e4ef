import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const cli = fileURLToPath(new URL('../../runtime/dist/cli.js', import.meta.url));
/**
 * LOCKSTEP_TEST_LOG_DIR keeps each process's output (stdout and stderr) in
 * a file of that directory, `<pid>.log`, so that a run that went wrong can
 * be read afterwards: the processes a test kills take their output with them.
 * LOCKSTEP_TEST_LOG_LEVEL (with it) logs more than `info`: `debug` shows each send and retry.
 */
const logDir = process.env.LOCKSTEP_TEST_LOG_DIR;

/** A start takes seconds; on a two-core machine shared by several test runs, a restart against FerretDB took 10 to 20. */
const startTimeoutMs = 60_000;

export interface RuntimeProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process printed to stdout, line by line, so far. */
  output: string[];
  /** Resolves once the process prints a line that `matches` (at once if it printed one already). */
  printed(matches: (line: string) => boolean): Promise<void>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built `lockstep` CLI as a real process (npm test builds it first)
 * and resolves once it logs that it is listening.
 */
export async function spawnRuntime(args: string[], env: Record<string, string> = {}): Promise<RuntimeProcess> {
  const child = spawn(process.execPath, [cli, 'start', '--port', '0', ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: logDir ? (process.env.LOCKSTEP_TEST_LOG_LEVEL ?? 'info') : 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const errors: string[] = [];
  const awaited: { matches: (line: string) => boolean; resolve: () => void }[] = [];
  if (logDir) {
    const log = createWriteStream(join(logDir, `${child.pid}.log`));
    log.write(`${JSON.stringify({ args })}\n`);
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
  }
  createInterface({ input: child.stderr! }).on('line', (line) => errors.push(line));
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left to start later, unseen, on a port a retry may want.
      child.kill('SIGKILL');
      reject(new Error(`runtime did not start in ${startTimeoutMs / 1000} s:\n${[...output, ...errors].join('\n')}`));
    }, startTimeoutMs);
    child.on('exit', (code) => reject(new Error(`runtime exited with ${code} before listening:\n${[...output, ...errors].join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      for (const waiter of awaited.filter((one) => one.matches(line))) {
        awaited.splice(awaited.indexOf(waiter), 1);
        waiter.resolve();
      }
      const listening = line.startsWith('{') ? (JSON.parse(line) as { msg?: string; url?: string }) : undefined;
      if (listening?.msg === 'listening' && listening.url) {
        clearTimeout(timer);
        resolve(listening.url);
      }
    });
  });
  return {
    child,
    url,
    output,
    printed(matches) {
      if (output.some(matches)) return Promise.resolve();
      return new Promise((resolve) => awaited.push({ matches, resolve }));
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = await exited;
      return code as number | null;
    },
  };
}
