import { describe, expect, it } from 'vitest';
import { changesMade, expectEveryChangeOnce } from './support/exactly-once.js';
import { recordsLabelled } from './support/incident-case.js';
import { createIncidents, inParallel, interleavedUpdates, sendUpdate } from './support/incident-updates.js';
import { pairStores, usePair } from './support/pair-suite.js';
import { until } from './support/sync-pair.js';
import { untilAllSentAndApplied, queueCounts } from './support/sync-queues.js';

const LABEL = 'Crash';
/** More than the stream reaches before the kill: the writers are still at it when A dies. */
const STREAM_LIMIT = 2_000;

interface Scale {
  incidents: number;
  /** B has applied this many changes when A is killed: some of the stream reached B, much has not. */
  appliedAtKill: number;
  updatesAfterRestart: number;
  writers: number;
}

/**
 * Enough for the kill to cut the stream with changes in every state (sent,
 * queued, being sent, not yet captured), and few enough to end within a
 * test's 30 s on a busy two-core machine. FerretDB v1 applies a few dozen
 * changes a minute there, and A's items in flight wait out their lease, so
 * its run is smaller. Volume is for `npm run bench -- sync`.
 */
const scales: Record<string, Scale> = {
  embedded: { incidents: 10, appliedAtKill: 30, updatesAfterRestart: 30, writers: 4 },
  mongodb: { incidents: 2, appliedAtKill: 4, updatesAfterRestart: 4, writers: 1 },
};

for (const { name, store, skipped } of pairStores()) {
  const { incidents: incidentCount, appliedAtKill, updatesAfterRestart, writers } = scales[name]!;
  describe.skipIf(store === null)(`the consumer killed with SIGKILL while it streams changes to the provider (${name} store, ${incidentCount} incidents)${skipped}`, () => {
    const pairOf = usePair('crash', store!);

    it('delivers every change made before the kill and after the restart exactly once, in order', async () => {
      const pair = pairOf();
      const { a, b } = pair;
      const incidents = await createIncidents(a, incidentCount, LABEL);
      const updates = interleavedUpdates(incidents, STREAM_LIMIT + updatesAfterRestart, LABEL);

      // Writers stream updates until A dies; the writes in flight then fail, and A's records say which of them it made.
      let killed = false;
      let attempted = 0;
      const stream = inParallel(updates.slice(0, STREAM_LIMIT), writers, async (update) => {
        if (killed) return;
        attempted += 1;
        try {
          await sendUpdate(a, update);
        } catch (error) {
          if (!killed) throw error;
        }
      });
      await until(async () => ((await queueCounts(b, 'inbound')).processed >= appliedAtKill ? true : undefined), `B has applied ${appliedAtKill} changes of the stream`);
      const backlog = await queueCounts(a, 'outbound');
      killed = true;
      await a.stop('SIGKILL');
      await stream;
      expect(attempted, 'the writers were still streaming when A was killed').toBeLessThan(STREAM_LIMIT);
      expect(backlog.ready + backlog.processing, 'A had changes still to send when it was killed').toBeGreaterThan(0);

      await a.start();
      await inParallel(updates.slice(attempted, attempted + updatesAfterRestart), writers, async (update) => {
        await sendUpdate(a, update);
      });

      // A's records are the truth: each holds its insert and every update A made, those cut short by the kill included or not.
      const written = await recordsLabelled(a, 'incident', LABEL);
      const changes = changesMade(written);
      // On MongoDB, items A was sending when it died wait out their claim's lease (10 s) before they go again.
      await untilAllSentAndApplied(a, b, changes, 25_000);

      expect(await expectEveryChangeOnce(pair, LABEL)).toHaveLength(incidentCount);
    });
  });
}
