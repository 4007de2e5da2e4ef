import { fork, type ChildProcess } from 'node:child_process';
import { EVALUATION_HEAP_MB, type ExpressionLimits } from './expression-limits.js';

/**
 * The evaluation process's module: the built `.js` beside this one, or, where
 * the TypeScript sources run (vitest, tsx), the `.ts`, loaded through tsx.
 */
const fromSources = import.meta.url.endsWith('.ts');
const processModule = new URL(fromSources ? './evaluation-process.ts' : './evaluation-process.js', import.meta.url);

/**
 * Starts an evaluation process. Its heap is capped by V8's own flag; running
 * out of it aborts that process alone. Its stderr is the pool's to read, so
 * V8's report of an abort does not land in the server's log.
 */
export function startEvaluationProcess(limits: ExpressionLimits): ChildProcess {
  return fork(processModule, [JSON.stringify(limits)], {
    execArgv: [...(fromSources ? ['--import', 'tsx'] : []), `--max-old-space-size=${EVALUATION_HEAP_MB}`],
    // Structured clone, as for worker threads: the run data arrives with its Dates and undefineds.
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
}
