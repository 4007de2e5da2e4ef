import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import type { EvaluationReply, EvaluationRequest, ProcessMessage } from './evaluation-protocol.js';
import { EVALUATION_HEAP_MB, type ExpressionLimits } from './expression-limits.js';
import { limitProblems } from './limit-problems.js';
import { startEvaluationProcess } from './start-evaluation-process.js';

interface Task {
  request: EvaluationRequest;
  settle(reply: EvaluationReply): void;
}

/** An evaluation process: loading until it says it is ready, then idle or on one task. */
interface Member {
  child: ChildProcess;
  closed: Promise<unknown>;
  ready: boolean;
  task?: Task;
  watchdog?: NodeJS.Timeout;
  /** The end of its stderr, which says why it died. */
  stderr: string;
  /** V8 said so on stderr before aborting it. */
  outOfMemory: boolean;
}

const failed = (problem: string): EvaluationReply => ({ ok: false, problem, code: 'expression' });
const stopping = failed('was not evaluated: the flow engine is stopping');

/** Two processes at least, so an expression held to its time limit leaves another serving; up to four on bigger machines. */
function defaultSize(): number {
  return Math.min(4, Math.max(2, availableParallelism() - 1));
}

/**
 * Evaluates expressions off the event loop, in a few child processes with a
 * heap limit each. Processes, not worker threads: a worker whose heap runs
 * out can abort the whole server (nodejs/node#47224; `$length` of a string
 * doubled a few times with `&` does it), where a process aborts alone.
 *
 * An evaluation that runs past the time limit has its process killed: a
 * regular expression or a built-in function never yields to JSONata's own
 * timeout check. A lost process is replaced at once, and more are started,
 * up to the pool's size, when work waits. Idle processes do not keep the
 * server's event loop alive. The pool is written here, not taken from a
 * library: what it needs is this kill and replace policy, which a library
 * would have to be configured and wrapped into.
 */
export class ProcessPool {
  private readonly members = new Set<Member>();
  private readonly idle: Member[] = [];
  private readonly waiting: Task[] = [];
  private closed = false;

  constructor(
    private readonly limits: ExpressionLimits,
    private readonly size = defaultSize(),
  ) {}

  evaluate(expression: string, data: object): Promise<EvaluationReply> {
    if (this.closed) return Promise.resolve(stopping);
    return new Promise((settle) => {
      this.waiting.push({ request: { expression, data }, settle });
      this.dispatch();
    });
  }

  /** Stops every process; evaluations in flight or waiting end as not evaluated. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.settle(stopping);
    await Promise.all([...this.members].map((member) => this.retire(member, stopping)));
  }

  private dispatch(): void {
    if (this.closed) return;
    for (let member = this.idle.pop(); member !== undefined; member = this.idle.pop()) {
      const task = this.waiting.shift();
      if (task === undefined) {
        this.idle.push(member);
        break;
      }
      this.assign(member, task);
    }
    let loading = [...this.members].filter((member) => !member.ready).length;
    while (loading < this.waiting.length && this.members.size < this.size) {
      this.spawn();
      loading += 1;
    }
  }

  private spawn(): void {
    const child = startEvaluationProcess(this.limits);
    const member: Member = { child, closed: new Promise((resolve) => child.once('close', resolve)), ready: false, stderr: '', outOfMemory: false };
    this.members.add(member);
    child.on('message', (message: ProcessMessage) => {
      // A reply that crossed the kill at the time limit is dropped with its process.
      if (!this.members.has(member)) return;
      if (message.kind === 'ready') this.ready(member);
      else this.done(member, message.reply);
    });
    // The pipe never holds the server open; the process and its channel do while it works.
    const stderr = (child.stderr as Socket).setEncoding('utf8').unref();
    stderr.on('data', (text: string) => {
      const tail = member.stderr + text;
      member.outOfMemory ||= tail.includes('heap out of memory');
      member.stderr = tail.slice(-2000);
    });
    child.on('error', (error) => void this.retire(member, failed(`could not be evaluated: its evaluation process failed: ${error.message}`)));
    child.on('close', (code, signal) => void this.retire(member, this.deathProblem(member, code, signal)));
  }

  private deathProblem(member: Member, code: number | null, signal: NodeJS.Signals | null): EvaluationReply {
    if (member.outOfMemory) return limitProblems.memory(EVALUATION_HEAP_MB);
    const why = member.stderr.split('\n').findLast((line) => line.includes('Error')) ?? '';
    return failed(`could not be evaluated: its evaluation process exited (${signal ?? `code ${code}`})${why === '' ? '' : `: ${why}`}`);
  }

  private assign(member: Member, task: Task): void {
    member.task = task;
    this.hold(member, true);
    member.watchdog = setTimeout(() => void this.retire(member, limitProblems.time(this.limits.timeoutMs)), this.limits.timeoutMs);
    member.child.send(task.request);
  }

  private ready(member: Member): void {
    member.ready = true;
    this.release(member);
  }

  private done(member: Member, reply: EvaluationReply): void {
    clearTimeout(member.watchdog);
    const task = member.task;
    member.task = undefined;
    this.release(member);
    task?.settle(reply);
  }

  private release(member: Member): void {
    this.hold(member, false);
    this.idle.push(member);
    this.dispatch();
  }

  /** A process keeps the server's event loop alive only while it has work. */
  private hold(member: Member, busy: boolean): void {
    if (busy) {
      member.child.ref();
      member.child.channel?.ref();
    } else {
      member.child.unref();
      member.child.channel?.unref();
    }
  }

  /** Ends a process that hit a limit, died, or is closed, answering the task it had. */
  private async retire(member: Member, reply: EvaluationReply): Promise<void> {
    if (!this.members.delete(member)) return;
    clearTimeout(member.watchdog);
    const idleAt = this.idle.indexOf(member);
    if (idleAt !== -1) this.idle.splice(idleAt, 1);
    // One that dies loading would die again: a waiting task gets its failure, rather than a loop of new processes.
    (member.ready ? member.task : this.waiting.shift())?.settle(reply);
    // Replaced at once, so the next evaluation does not wait for a process to start.
    if (member.ready && !this.closed) this.spawn();
    this.dispatch();
    member.child.kill('SIGKILL');
    await member.closed;
  }
}
