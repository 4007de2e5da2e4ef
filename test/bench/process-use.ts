import { readFile } from 'node:fs/promises';
import { cpuMsOf } from './cpu-time.js';

/** What a process has used so far: CPU ms (user and system) and bytes it wrote to files. */
export interface ProcessUse {
  cpuMs: number;
  fileBytes: number;
}

/**
 * Bytes a process has written to files so far (the page cache it dirtied,
 * whether or not flushed yet), from Linux's /proc; undefined elsewhere.
 * Socket writes are not counted: on the embedded store this is the data
 * files and logs, what each change costs the disk.
 */
async function fileBytesOf(pid: number): Promise<number | undefined> {
  try {
    const io = await readFile(`/proc/${pid}/io`, 'utf8');
    const match = /^write_bytes:\s*(\d+)$/m.exec(io);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export async function processUseOf(pid: number | undefined): Promise<ProcessUse | undefined> {
  if (pid === undefined) return undefined;
  const [cpuMs, fileBytes] = await Promise.all([cpuMsOf(pid), fileBytesOf(pid)]);
  return cpuMs === undefined || fileBytes === undefined ? undefined : { cpuMs, fileBytes };
}
