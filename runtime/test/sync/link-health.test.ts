import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { remoteSystemSchema } from '@lockstep/schema';
import { openStore, type DocumentStore } from '@lockstep/store';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlowEngine } from '../../src/flows/flow-engine.js';
import type { UserStore } from '../../src/auth/user-store.js';
import { SecretBox } from '../../src/sync/config/secret-box.js';
import { SyncConfigStore } from '../../src/sync/config/sync-config-store.js';
import { LinkHealth } from '../../src/sync/link/link-health.js';
import { LinkStates } from '../../src/sync/link/link-states.js';
import { LinkTransitions } from '../../src/sync/link/link-transitions.js';

const sysId = () => randomBytes(16).toString('hex');
const MINUTE = 60_000;
const failure = { error: 'the peer at https://peer.example.com is unreachable', item: null };

/**
 * Link health on the fake clock: the window, the probes' backoff and the
 * transitions, on a real store and a real remote system record. The peer's
 * answer to a probe is what `peerFindings` holds (the two-runtime tests,
 * link-recovery and sync-link-flap, probe a real peer).
 */
describe('link health, on a fake clock', () => {
  let dataDir: string;
  let store: DocumentStore;
  let config: SyncConfigStore;
  let transitions: LinkTransitions;
  let health: LinkHealth;
  let now: number;
  let remote: string;
  let peerFindings: string[];
  let probedAt: number[];

  const state = async () => (await config.remoteSystem(remote))?.outbound_state;
  /** Moves the clock to `at` and lets link health look, as its timer does every second. */
  const at = async (ms: number) => {
    now = ms;
    await health.tick();
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lockstep-link-health-'));
    store = await openStore({ dataDir });
    config = new SyncConfigStore(store, new SecretBox(randomBytes(32)));
    transitions = new LinkTransitions(store);
    await Promise.all([config.prepare(), transitions.prepare()]);
    now = 0;
    peerFindings = ['the peer did not answer'];
    probedAt = [];
    const fields = remoteSystemSchema.parse({
      process_sync_definition: sysId(),
      name: 'provider',
      external_id: sysId(),
      connection: { base_url: 'https://peer.example.com', user_name: 'api', password: 'secret-password', signing_secrets: ['k'.repeat(32)] },
      inbound_api_user: sysId(),
      run_as_user: sysId(),
      outbound_state: 'active',
      inbound_state: 'active',
    });
    remote = (await config.remoteSystems.insert(fields, 'tester'))._id;
    const clock = () => now;
    const states = new LinkStates(store, transitions, clock);
    health = new LinkHealth({
      config,
      states,
      history: transitions,
      // No error subflow is set on the record, so neither is used.
      flows: undefined as unknown as FlowEngine,
      users: undefined as unknown as UserStore,
      logger: pino({ level: 'silent' }),
      validate: () => {
        probedAt.push(now);
        return Promise.resolve(peerFindings);
      },
      holdsInError: () => Promise.resolve(null),
      settings: { failureWindowMs: 5 * MINUTE, probeBaseMs: 1000, probeMaxMs: MINUTE },
      now: clock,
    });
    // The first tick also looks for links in error in the store (none yet).
    await health.tick();
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('goes to error only after failing for the whole window with no success in between', async () => {
    await health.failed(remote, 'outbound', failure);
    await at(4 * MINUTE);
    await health.failed(remote, 'outbound', failure);
    // A success restarts the window: a flap is not an outage.
    health.succeeded(remote, 'outbound');
    await at(6 * MINUTE);
    await health.failed(remote, 'outbound', failure);
    await at(10 * MINUTE);
    expect(await state()).toBe('active');
    await at(11 * MINUTE);
    expect(await state()).toBe('error');
    const [entered] = await transitions.latest(remote, 10);
    expect(entered).toMatchObject({ direction: 'outbound', from: 'active', to: 'error', reason: `sending failed for 300 s with no success: ${failure.error}`, at: new Date(11 * MINUTE).toISOString() });
    expect(await transitions.latest(remote, 10)).toHaveLength(1);
  });

  it('probes a link in error with backoff doubling to a minute, and makes it active once the peer validates', async () => {
    await health.failed(remote, 'outbound', failure);
    await at(5 * MINUTE);
    expect(await state()).toBe('error');
    const entered = 5 * MINUTE;
    for (let second = 1; second <= 200; second++) await at(entered + second * 1000);
    // 1 s after entering error, then 2, 4, 8, 16, 32 s after each probe, then every minute.
    expect(probedAt.map((time) => (time - entered) / 1000)).toEqual([1, 3, 7, 15, 31, 63, 123, 183]);
    peerFindings = [];
    await at(entered + 243_000);
    expect(await state()).toBe('active');
    const [recovered] = await transitions.latest(remote, 10);
    expect(recovered).toMatchObject({ from: 'error', to: 'active', reason: 'the peer answered and validated (automatic recovery)' });
  });

  it('probes a link in error at the next tick once its peer is heard from, instead of waiting out a backoff grown to a minute', async () => {
    await health.failed(remote, 'outbound', failure);
    await at(5 * MINUTE);
    const entered = 5 * MINUTE;
    for (let second = 1; second <= 130; second++) await at(entered + second * 1000);
    expect(probedAt.map((time) => (time - entered) / 1000)).toEqual([1, 3, 7, 15, 31, 63, 123]);
    // The next probe is due at 183 s; a signed call of the peer's at 140 s brings it forward.
    health.heardFrom(remote);
    peerFindings = [];
    await at(entered + 141_000);
    expect(probedAt.at(-1)).toBe(entered + 141_000);
    expect(await state()).toBe('active');
  });

  it('leaves a link in error to Validate and Activate when automatic recovery is off', async () => {
    await config.remoteSystems.update(remote, { auto_recovery: false }, 'tester');
    await health.failed(remote, 'outbound', failure);
    await at(5 * MINUTE);
    peerFindings = [];
    for (let minute = 6; minute <= 10; minute++) await at(minute * MINUTE);
    expect(probedAt).toEqual([]);
    expect(await state()).toBe('error');
  });

  it('finds a link put in error before it started, and probes it', async () => {
    await store.collection('sync_remote_system').updateOne({ _id: remote }, { $set: { inbound_state: 'error' } });
    peerFindings = [];
    // The store is looked at once a minute (the longest probe wait): links in error there are probed at once.
    await at(MINUTE);
    expect((await config.remoteSystem(remote))?.inbound_state).toBe('active');
  });
});
