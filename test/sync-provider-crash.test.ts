import { describe, expect, it } from 'vitest';
import { changesMade, expectEveryChangeOnce } from './support/exactly-once.js';
import { recordsLabelled } from './support/incident-case.js';
import { createIncidents, inParallel, interleavedUpdates, sendUpdate } from './support/incident-updates.js';
import { usePair } from './support/pair-suite.js';
import { until } from './support/sync-pair.js';
import { untilAllSentAndApplied, queueCounts } from './support/sync-queues.js';

const LABEL = 'Provider crash';
/** Few enough to end within a test's 30 s on a busy two-core machine; volume is for `npm run bench -- sync`. */
const INCIDENTS = 10;
const UPDATES = 60;
/** B has applied this many changes when it is killed, with the stream still coming. */
const APPLIED_AT_KILL = 20;

/*
 * The inbound side's runs are restartable: they are stored only when they
 * end, and one cut short runs again from the start under the same context id.
 * Killing B while it applies shows that this applies each change once.
 * Embedded store only: FerretDB v1 applies a few dozen changes a minute here,
 * too few for B to be killed mid-stream within a test's time.
 */
describe('the provider killed with SIGKILL while it applies a stream of changes (embedded store only: FerretDB v1 is too slow to stream to within a test)', () => {
  // A retries at least every second while B is down, so B's changes go on as soon as it is back, however long its restart.
  const pairOf = usePair('provider-crash', { kind: 'embedded' }, ['--outbound-retry-delay-ms', '200', '--outbound-retry-max-delay-ms', '1000']);

  it('applies every change exactly once and in order after B restarts', async () => {
    const pair = pairOf();
    const { a, b } = pair;
    const incidents = await createIncidents(a, INCIDENTS, LABEL);
    const stream = inParallel(interleavedUpdates(incidents, UPDATES, LABEL), 4, async (update) => {
      await sendUpdate(a, update);
    });

    await until(async () => ((await queueCounts(b, 'inbound')).processed >= APPLIED_AT_KILL ? true : undefined), `B has applied ${APPLIED_AT_KILL} changes`);
    await b.stop('SIGKILL');
    const sentWhileDown = await queueCounts(a, 'outbound');
    expect(sentWhileDown.ready + sentWhileDown.processing, 'A still had changes to send when B died').toBeGreaterThan(0);
    await b.start();
    await stream;

    const changes = changesMade(await recordsLabelled(a, 'incident', LABEL));
    expect(changes).toBe(INCIDENTS + UPDATES);
    await untilAllSentAndApplied(a, b, changes, 25_000);
    expect(await expectEveryChangeOnce(pair, LABEL)).toHaveLength(INCIDENTS);
  });
});
