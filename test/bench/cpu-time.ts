import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc's CPU times: 100 on every Linux that Node runs on. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time a process has used so far, in ms (user and system), from Linux's
 * /proc; undefined elsewhere. On a machine shared with other work, CPU per
 * change is the figure that does not depend on what else runs.
 */
export async function cpuMsOf(pid: number | undefined, withExitedChildren = false): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th
    // and 13th, then cutime and cstime, those of its children that exited and that it waited for.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + (withExitedChildren ? Number(fields[13]) + Number(fields[14]) : 0);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
