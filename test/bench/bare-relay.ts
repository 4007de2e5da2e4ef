import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpuMsOf } from './cpu-time.js';
import { writeAsFastAsAccepted } from './sync-load.js';
import { TableWriter } from './table-writer.js';

type Print = (line: string) => void;

export interface BaselineFigures {
  changesPerSecond: number;
  /** CPU per change of the relaying side and the receiving side, µs. */
  cpuMicros: [number, number];
}

const script = fileURLToPath(new URL('bare-relay-process.mjs', import.meta.url));

/** Starts one bare relay process and resolves with its URL once it listens. */
async function startBare(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => { throw new Error(`the bare relay process ${script} exited before it listened`); })])) as [string];
  const port = /^listening (\d+)$/.exec(line)?.[1];
  if (!port) throw new Error(`the bare relay process printed "${line}" instead of its port`);
  return { child, url: `http://127.0.0.1:${port}` };
}

/**
 * The baseline the sync bench measures Lockstep against, in the same run and
 * with the same load: two bare Express processes relaying each incident write
 * by HTTP, acknowledged once the second answered, with nothing stored.
 */
export async function bareRelayBaseline(records: number, concurrency: number, print: Print): Promise<BaselineFigures> {
  const b = await startBare({});
  const a = await startBare({ RELAY_TO: b.url }).catch(async (error: unknown) => {
    b.child.kill('SIGTERM');
    throw error;
  });
  const writer = new TableWriter(a.url, 'bench', 'bench');
  try {
    const warmUp = Math.min(records, 200);
    await writeAsFastAsAccepted(writer, warmUp, concurrency, () => undefined);
    const cpu = () => Promise.all([cpuMsOf(a.child.pid), cpuMsOf(b.child.pid)]);
    const before = await cpu();
    const writes = await writeAsFastAsAccepted(writer, records, concurrency, () => undefined);
    const after = await cpu();
    const seconds = (Math.max(...writes.map((write) => write.ackedAt)) - Math.min(...writes.map((write) => write.sentAt))) / 1000;
    const perChange = (index: 0 | 1) => (((after[index] ?? 0) - (before[index] ?? 0)) / writes.length) * 1000;
    const figures: BaselineFigures = { changesPerSecond: writes.length / seconds, cpuMicros: [perChange(0), perChange(1)] };
    print(`  bare relay baseline (two Express processes, HTTP, nothing stored): ${Math.round(figures.changesPerSecond).toLocaleString('en')} changes/s, CPU per change: A ${Math.round(figures.cpuMicros[0])} µs, B ${Math.round(figures.cpuMicros[1])} µs`);
    return figures;
  } finally {
    writer.close();
    for (const { child } of [a, b]) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }
}
