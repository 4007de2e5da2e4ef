import { describe, expect, it } from 'vitest';
import { changesMade, expectEveryChangeOnce } from './support/exactly-once.js';
import { createIncidents, inParallel, interleavedUpdates, sendUpdate } from './support/incident-updates.js';
import { usePair } from './support/pair-suite.js';
import { untilAllSentAndApplied, queueItems } from './support/sync-queues.js';

/** Enough interleaving for order to matter, few enough to end within a test's 30 s on a busy two-core machine; volume is for `npm run bench -- sync`. */
const INCIDENTS = 15;
const UPDATES = 200;
/** Requests the client has in flight at once: enough to interleave writes, few enough for a shared two-core machine. */
const CLIENT_CONCURRENCY = 8;
const LABEL = 'Ordering';

// Embedded only: on FerretDB v1 the pair takes minutes for a hundred changes (110 took over 3 minutes, and
// 1,050 did not finish in 9, some inbound runs passing their 30 s time limit), far past a test's budget.
describe(`${UPDATES} interleaved updates of ${INCIDENTS} incidents, applied on the provider in order (embedded store only: FerretDB v1 needs minutes for them)`, () => {
  const pairOf = usePair('ordering', { kind: 'embedded' });

  it('applies every change exactly once and in sequence per incident, leaves each case equal to its incident, and echoes nothing back', async () => {
    const pair = pairOf();
    const { a, b } = pair;
    const created = await createIncidents(a, INCIDENTS, LABEL);
    await inParallel(interleavedUpdates(created, UPDATES, LABEL), CLIENT_CONCURRENCY, async (update) => {
      await sendUpdate(a, update);
    });

    // Each insert and each update is one captured change.
    const changes = INCIDENTS + UPDATES;
    await untilAllSentAndApplied(a, b, changes, 25_000);

    const incidents = await expectEveryChangeOnce(pair, LABEL);
    expect(changesMade(incidents)).toBe(changes);

    // No echo: applying on B queued nothing to send back, so A received nothing.
    const [outboundB, inboundA] = await Promise.all([queueItems(b, 'outbound'), queueItems(a, 'inbound')]);
    expect(outboundB).toEqual([]);
    expect(inboundA).toEqual([]);
  });
});
