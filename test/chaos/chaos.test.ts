import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncPair, type SyncPair } from '../support/sync-pair.js';
import { linkErrorsAgree } from './check.js';
import { chaosOn, summary } from './run-chaos.js';

/**
 * The short version of `npm run chaos`: the demo pair as real processes,
 * 8 records of 3 comments written on both over about 5 s while either
 * instance is SIGKILLed and started again, once or twice, sooner than the
 * long run's 2 to 10 s so it fits in the suite; then the check from the
 * Table API alone.
 * Its seed is fixed: CHAOS_SEED=7 npm run chaos replays its choice of victims.
 */
describe('chaos, short (embedded store)', () => {
  let root: string;
  let pair: SyncPair;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lockstep-chaos-'));
    // A failure window shorter than an outage, so a kill may put a link in Error (as npm run chaos does).
    pair = await startSyncPair(root, { kind: 'embedded' }, ['--link-failure-window-ms', '500']);
  }, 120_000);
  afterAll(async () => {
    await pair?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('loses, duplicates, reorders and echoes nothing while either instance is killed and restarted', async () => {
    const report = await chaosOn(pair, { records: 8, comments: 3, faults: { gapMs: [800, 1_500], downMs: [300, 800], maxKills: 2 }, recoveryMs: 10_000, concurrency: 2, writingMs: 5_000, seed: 7 });
    const said = summary(report);
    // The second kill may not come before the writes end on a slow machine (a restart takes seconds there); the first always does.
    expect(report.faults.length, said).toBeGreaterThanOrEqual(1);
    expect({ ok: report.ok, lost: report.lost, duplicated: report.duplicated, reordered: report.reordered, echoed: report.echoed, recovered: report.recovered }, said).toEqual({ ok: 8, lost: 0, duplicated: 0, reordered: 0, echoed: 0, recovered: true });
    // However many entries into Error the kills caused: one error subflow run for each, and /metrics counts each.
    expect(linkErrorsAgree(report.linkErrors), said).toBe(true);
  });
});
