import { describe, expect, it } from 'vitest';
import { changesMade, expectEveryChangeOnce } from './support/exactly-once.js';
import { recordsLabelled } from './support/incident-case.js';
import { createIncidents, inParallel, interleavedUpdates, sendUpdate } from './support/incident-updates.js';
import { usePair } from './support/pair-suite.js';
import { until, type PairInstance } from './support/sync-pair.js';
import { untilAllSentAndApplied, queueCounts } from './support/sync-queues.js';

const LABEL = 'Outage';
/** A one-second failure window, so the remote system goes to error a second after the first refused send. */
const RETRY_SETTINGS = ['--link-failure-window-ms', '1000', '--outbound-retry-delay-ms', '100', '--outbound-retry-max-delay-ms', '400'];

interface ErrorRun {
  status: string;
  inputs: { remoteSystem: string; direction: string; state: string; error: string };
  steps: { notify?: { status: string; input: { message: string }; output: { delivered: string[] } } };
}

async function outboundState(a: PairInstance): Promise<string> {
  return (await a.api.call('GET', `/api/lockstep/v1/sync/remote-systems/${a.config.remoteSystemId}`)).body.result.outbound_state;
}

/** A's JSON log lines with message `msg`. */
function logged(a: PairInstance, msg: string): Record<string, string>[] {
  return a.process.output.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)).filter((entry) => entry.msg === msg);
}

describe('the provider down, then back (embedded store; the crash test covers the MongoDB store)', () => {
  const pairOf = usePair('outage', { kind: 'embedded' }, RETRY_SETTINGS);

  it('retries, puts the remote system in error and notifies, keeps capturing, and with automatic recovery off drains the backlog in order after Validate and Activate', { timeout: 300_000 }, async () => {
    const pair = pairOf();
    const { a, b } = pair;
    await a.api.call('PATCH', `/api/lockstep/v1/sync/remote-systems/${a.config.remoteSystemId}`, { auto_recovery: false }, { expected: 200 });
    // Synced before the outage: the provider has these cases already.
    const before = await createIncidents(a, 5, LABEL);
    await until(async () => ((await queueCounts(b, 'inbound')).processed === before.length ? true : undefined), 'B has applied the incidents made before the outage', 60_000);

    expect(await b.stop('SIGTERM')).toBe(0);
    await sendUpdate(a, { sysId: before[0]!, values: { comments: `${LABEL} comment while B is down` } });
    await until(async () => ((await outboundState(a)) === 'error' ? true : undefined), "A's remote system for B is in error after its retries", 60_000);

    // The error subflow ran and delivered its notification to the log.
    const errorRuns = await until(async () => {
      const { body } = await a.api.call('GET', `/api/lockstep/v1/contexts?subflow=${a.config.errorSubflowId}`);
      const runs = body.result as ErrorRun[];
      return runs.some((run) => run.status === 'completed') ? runs : undefined;
    }, "A's error subflow run has completed", 30_000);
    expect(errorRuns).toHaveLength(1);
    const [run] = errorRuns;
    expect(run!.inputs).toMatchObject({ remoteSystem: a.config.remoteSystemId, direction: 'outbound', state: 'error' });
    expect(run!.steps.notify).toMatchObject({ status: 'done', output: { delivered: ['log'] } });
    expect(run!.steps.notify!.input.message).toContain(`Remote system ${a.config.remoteSystemId}: the outbound state is now error.`);
    expect(logged(a, 'notification').map((entry) => entry.notification)).toEqual([run!.steps.notify!.input.message]);

    // The refused change waits first in line, with the reason it could not go, once every retry failed.
    const { body: waiting } = await a.api.call('GET', '/api/lockstep/v1/sync/outbound-queue?status=ready&limit=1000');
    expect(waiting.result).toHaveLength(1);
    expect(waiting.result[0].retry.last_error).toContain(`the peer at ${b.url} is unreachable`);
    expect(logged(a, 'the outbound link is in error; Validate and Activate brings it back')).toHaveLength(1);

    // A goes on: new incidents and updates are captured and queued while the remote system is in error.
    const during = await createIncidents(a, 5, `${LABEL} during`);
    await inParallel(interleavedUpdates([...before, ...during], 100, LABEL), 4, async (update) => {
      await sendUpdate(a, update);
    });
    const incidents = await recordsLabelled(a, 'incident', LABEL);
    const changes = changesMade(incidents);
    await until(async () => ((await queueCounts(a, 'outbound')).ready === changes - before.length ? true : undefined), "A's outbound queue holds every change made since the outage", 60_000);

    // Back, B gets nothing until A's admin runs Validate and Activate.
    await b.start();
    expect(await outboundState(a)).toBe('error');
    expect((await queueCounts(b, 'inbound')).processed).toBe(before.length);
    const { body: activated } = await a.api.call('POST', `/api/lockstep/v1/sync/remote-systems/${a.config.remoteSystemId}/activate`, undefined, { expected: 200 });
    expect(activated.result).toMatchObject({ findings: [], outbound_state: 'active' });

    await untilAllSentAndApplied(a, b, changes, 240_000);
    expect(await expectEveryChangeOnce(pair, LABEL)).toHaveLength(before.length + during.length);
  });
});
