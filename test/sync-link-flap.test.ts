import { describe, expect, it } from 'vitest';
import { changesMade, expectEveryChangeOnce } from './support/exactly-once.js';
import { recordsLabelled } from './support/incident-case.js';
import { createIncidents, interleavedUpdates, sendUpdate } from './support/incident-updates.js';
import { usePair } from './support/pair-suite.js';
import { until, type PairInstance } from './support/sync-pair.js';
import { untilAllSentAndApplied } from './support/sync-queues.js';

const LABEL = 'Flap';
const FLAPS = 3;
/** A link fails for a second before it is in error, and is probed at least twice a second: outages of seconds enter error and leave it. */
const LINK_SETTINGS = ['--link-failure-window-ms', '1000', '--link-probe-max-delay-ms', '500', '--outbound-retry-delay-ms', '50', '--outbound-retry-max-delay-ms', '300'];

interface Transition {
  direction: string;
  from: string;
  to: string;
}

async function remoteSystem(side: PairInstance): Promise<{ outbound_state: string; inbound_state: string }> {
  return (await side.api.call('GET', `/api/lockstep/v1/sync/remote-systems/${side.config.remoteSystemId}`)).body.result;
}

async function history(side: PairInstance): Promise<Transition[]> {
  return (await side.api.call('GET', `/api/lockstep/v1/sync/remote-systems/${side.config.remoteSystemId}/link-history?sysparm_limit=1000`)).body.result;
}

async function errorRuns(side: PairInstance): Promise<{ status: string }[]> {
  return (await side.api.call('GET', `/api/lockstep/v1/contexts?subflow=${side.config.errorSubflowId}`)).body.result;
}

describe('the provider killed and restarted again and again while changes flow (embedded store)', () => {
  const pairOf = usePair('link-flap', { kind: 'embedded' }, LINK_SETTINGS);

  it('ends with both remote systems active and no admin action, every change applied once and in order, and the error subflow run once per entry into error', { timeout: 60_000 }, async () => {
    const pair = pairOf();
    const { a, b } = pair;
    const incidents = await createIncidents(a, 4, LABEL);
    const updates = interleavedUpdates(incidents, FLAPS * 3, LABEL);
    for (let flap = 0; flap < FLAPS; flap++) {
      await b.stop('SIGKILL');
      for (const update of updates.slice(flap * 3, flap * 3 + 3)) await sendUpdate(a, update);
      // Every other outage outlasts the window, so the link enters error; the others are shorter than it.
      const entersError = flap % 2 === 0;
      if (entersError) await until(async () => ((await remoteSystem(a)).outbound_state === 'error' ? true : undefined), `A's link went to error in outage ${flap + 1}`, 30_000);
      await b.start();
      // Back by itself, before the next outage: that one is then an entry of its own.
      if (entersError) await until(async () => ((await remoteSystem(a)).outbound_state === 'active' ? true : undefined), `A's link came back after outage ${flap + 1}`, 30_000);
    }
    const changes = changesMade(await recordsLabelled(a, 'incident', LABEL));
    await untilAllSentAndApplied(a, b, changes, 60_000);
    await until(async () => {
      const [onA, onB] = await Promise.all([remoteSystem(a), remoteSystem(b)]);
      return [onA.outbound_state, onA.inbound_state, onB.outbound_state, onB.inbound_state].every((state) => state === 'active') ? true : undefined;
    }, 'both remote systems are active in both directions', 30_000);
    await expectEveryChangeOnce(pair, LABEL);

    const entries = (await history(a)).filter((transition) => transition.to === 'error');
    expect(entries.length, 'outages that entered error').toBeGreaterThanOrEqual(Math.ceil(FLAPS / 2));
    expect(entries.every((transition) => transition.direction === 'outbound' && transition.from === 'active')).toBe(true);
    const recoveries = (await history(a)).filter((transition) => transition.from === 'error' && transition.to === 'active');
    expect(recoveries).toHaveLength(entries.length);
    await until(async () => ((await errorRuns(a)).every((run) => run.status === 'completed') ? true : undefined), "A's error subflow runs have ended");
    expect(await errorRuns(a)).toHaveLength(entries.length);
    expect(await errorRuns(b)).toHaveLength(0);
  });
});
