import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsLabelled } from './support/incident-case.js';
import { startSyncPair, until, type SyncPair } from './support/sync-pair.js';

const LABEL = 'Logged';

/**
 * Two real processes logging everything (trace), configured as the demo is
 * (remote systems with passwords and a shared signing secret, Validate and
 * Activate both ways), then a change synced and a signing secret rotated:
 * no password, signing secret or secret key shows in any line they logged.
 */
describe('secrets in the logs of a syncing pair (embedded store)', () => {
  let root: string;
  let pair: SyncPair;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lockstep-secret-logs-'));
    pair = await startSyncPair(root, { kind: 'embedded' }, [], { LOG_LEVEL: 'trace' });
  }, 120_000);
  afterAll(async () => {
    await pair?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('never holds a password, a signing secret or the secret key', async () => {
    const { a, b } = pair;
    await a.api.call('POST', '/api/now/table/incident', { short_description: `${LABEL} incident`, priority: '2' }, { expected: 201 });
    await until(async () => (await recordsLabelled(b, 'case', LABEL)).length === 1, 'the case is on B');
    const rotated = 'a-new-signing-secret-that-must-not-be-logged-01';
    await a.api.call('PATCH', `/api/lockstep/v1/sync/remote-systems/${a.config.remoteSystemId}`, { connection: { signing_secrets: [rotated, a.config.inboundApi.signingSecret] } });

    const secrets = [
      a.config.inboundApi.password,
      b.config.inboundApi.password,
      a.config.inboundApi.signingSecret,
      rotated,
      ...(await Promise.all([a, b].map(async (side) => (await readFile(join(root, side.name, 'secret.key'), 'utf8')).trim()))),
    ];
    const lines = [...a.process.output, ...b.process.output];
    expect(lines.length).toBeGreaterThan(20);
    for (const secret of secrets) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
  });
});
