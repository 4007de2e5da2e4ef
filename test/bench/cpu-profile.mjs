/*
 * Preloaded into each runtime process by the sync bench when
 * LOCKSTEP_BENCH_CPU_PROF names a directory (node --import): profiles the
 * whole process, and writes a .cpuprofile there when it exits, for Chrome's
 * DevTools or speedscope. Node 20 refuses --cpu-prof in NODE_OPTIONS, and the
 * runtime is started by a path the bench does not control, so the inspector
 * is driven from here instead.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const directory = process.env.LOCKSTEP_BENCH_CPU_PROF;
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.start');
process.on('exit', () => {
  // An in-process session answers synchronously, so this completes before the process is gone.
  session.post('Profiler.stop', (error, result) => {
    if (error) process.stderr.write(`no CPU profile: ${error.message}\n`);
    else writeFileSync(join(directory, `lockstep-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
});
