import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Child {
  name: string;
  process: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts `node <cli> start …args` with its output passed on, each line prefixed by the instance's name. */
export function startChild(name: string, cli: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, [cli, 'start', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: child.stdout! }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
  createInterface({ input: child.stderr! }).on('line', (line) => process.stderr.write(`[${name}] ${line}\n`));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? null : 0)));
    child.on('error', (error) => {
      process.stderr.write(`lockstep demo: cannot start the ${name}: ${error.message}\n`);
      resolve(1);
    });
  });
  return { name, process: child, exited };
}

/** Sends `signal` to every child still running. */
export function signalAll(children: Child[], signal: NodeJS.Signals): void {
  for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill(signal);
}
