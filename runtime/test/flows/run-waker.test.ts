import type { FlowContextDocument, FlowRunner } from '@lockstep/flow';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { StoredFlowContexts, type DueRun } from '../../src/flows/context-store.js';
import { runWaker } from '../../src/flows/run-waker.js';
import { storeAdapters } from '../store/adapters.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 11, 3, 9);

function context(id: string, status: 'waiting' | 'running', times: { resume_at?: number; lease_until?: number }): FlowContextDocument {
  return {
    _id: id, subflow_id: 's', subflow_version: 1, subflow_name: 'S', kind: 'custom', graph: null, status, inputs: {}, outputs: {}, error: null,
    steps: {}, step_count: 0, active_ms: 0, time_limit_ms: 30_000, position: status === 'waiting' ? 'wait' : null, vars: {}, memory: {},
    resume_at: times.resume_at ?? null, lease_until: times.lease_until ?? null, parent: null,
    run_as: { userId: 'u', userName: 'u', roles: [], domain: 'global' }, sys_domain: 'global', origin: null, test_run: false, created_at: START, updated_at: START,
  } as FlowContextDocument;
}

/** The real contexts in the real store, telling the test what each of the waker's scans found and at what time. */
class WatchedContexts extends StoredFlowContexts {
  readonly scans: { now: number; runs: string[]; dueAt?: number }[] = [];
  private waiting: { from: number; resolve: () => void }[] = [];

  override async due(now: number, limit: number): Promise<{ runs: DueRun[]; dueAt?: number }> {
    const found = await super.due(now, limit);
    this.scans.push({ now, runs: found.runs.map((run) => run._id), dueAt: found.dueAt });
    for (const waiter of this.waiting.filter((entry) => now >= entry.from)) waiter.resolve();
    this.waiting = this.waiting.filter((entry) => now < entry.from);
    return found;
  }

  /** Resolves once a scan made at `from` or later has read the store. */
  scannedAt(from: number): Promise<void> {
    return new Promise((resolve) => this.waiting.push({ from, resolve }));
  }
}

/** Stands in for the flow runner: a resumed run completes at once, and the test hears which. */
function completingRunner(contexts: StoredFlowContexts) {
  const resumed: string[] = [];
  const listeners = new Map<string, () => void>();
  const runner = {
    async resume(id: string) {
      await contexts.update(id, { status: 'completed', resume_at: null, lease_until: null });
      resumed.push(id);
      listeners.get(id)?.();
      return (await contexts.get(id))!;
    },
  } as unknown as FlowRunner;
  const resumedRun = (id: string) => new Promise<void>((resolve) => (resumed.includes(id) ? resolve() : listeners.set(id, resolve)));
  return { runner, resumed, resumedRun };
}

for (const adapter of storeAdapters()) {
  describe.skipIf(adapter.skipReason !== undefined)(`the flow run waker on a fake clock (${adapter.name} store)`, () => {
    afterAll(() => adapter.dispose());

    it('leaves a wait alone until the clock reaches it, then resumes it, and resumes at once a run a stopped process held', async () => {
      const store = await adapter.open();
      let clock = START;
      const contexts = new WatchedContexts(store);
      await contexts.prepare();
      // Each test's own ids, as the mongodb adapter's database outlives a describe.
      const tag = Math.random().toString(36).slice(2, 8);
      const [hourWait, heldRun] = [`wait-${tag}`, `held-${tag}`];
      await contexts.insert(context(hourWait, 'waiting', { resume_at: START + HOUR }));
      // Held until 09:30 by a process that stopped: on a store it owned alone, the next start takes it back at once.
      await contexts.insert(context(heldRun, 'running', { lease_until: START + HOUR / 2 }));
      const { runner, resumed, resumedRun } = completingRunner(contexts);
      // Short real intervals between scans; the clock they read is the test's.
      const waker = runWaker(contexts, runner, pino({ level: 'silent' }), { scanIntervalMs: 5, idleScanIntervalMs: 10 }, () => clock);
      try {
        const firstScans = contexts.scannedAt(START);
        await waker.start(true);
        await firstScans;
        await resumedRun(heldRun);
        // Every scan so far, at 09:00, saw the wait and when it comes due, and did not take it.
        const scansAtStart = contexts.scans.filter((scan) => scan.now === START);
        expect(scansAtStart.length).toBeGreaterThan(0);
        for (const scan of scansAtStart) expect(scan).toMatchObject({ dueAt: START + HOUR });
        expect(scansAtStart.flatMap((scan) => scan.runs)).not.toContain(hourWait);
        expect(resumed).toEqual([heldRun]);

        const oneMinuteEarly = contexts.scannedAt(START + HOUR - 60_000);
        clock = START + HOUR - 60_000;
        await oneMinuteEarly;
        expect(resumed).toEqual([heldRun]);

        clock = START + HOUR;
        await resumedRun(hourWait);
        expect(resumed).toEqual([heldRun, hourWait]);
        expect(await contexts.get(hourWait)).toMatchObject({ status: 'completed' });
      } finally {
        await waker.stop();
        await store.close();
      }
    });
  });
}
