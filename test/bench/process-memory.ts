import { readFile } from 'node:fs/promises';

/** A process's resident set size in MiB, from /proc (Linux). */
export async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

/**
 * Samples processes' resident memory every `intervalMs` while work runs:
 * each one's size before the work and its peak during it.
 */
export async function peakMemoryDuring<T>(pids: number[], work: () => Promise<T>, intervalMs = 25): Promise<{ result: T; before: number[]; peak: number[] }> {
  const before = await Promise.all(pids.map(residentMiB));
  const peak = [...before];
  const sample = async () => {
    const now = await Promise.all(pids.map((pid) => residentMiB(pid).catch(() => 0)));
    now.forEach((size, index) => {
      peak[index] = Math.max(peak[index] ?? 0, size);
    });
  };
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = sampling.then(sample);
  }, intervalMs);
  try {
    const result = await work();
    return { result, before, peak };
  } finally {
    clearInterval(timer);
    await sampling;
    await sample();
  }
}
