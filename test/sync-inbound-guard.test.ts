import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncEnvelope } from '@lockstep/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_EVENT } from '../runtime/src/demo/configure.js';
import { SIGNATURE_WINDOW_SECONDS, signRequest } from '../runtime/src/sync/peer/signature.js';
import { recordsLabelled } from './support/incident-case.js';
import { startSyncPair, until, type SyncPair } from './support/sync-pair.js';
import { queueItems } from './support/sync-queues.js';

const LABEL = 'Guarded';

/** How a request to B's inbound API is made, each part overridable to make it wrong. */
interface InboundPost {
  body: string;
  timestamp?: number;
  secret?: string;
}

describe("the provider's inbound API against forged, replayed and broken envelopes (embedded store; the checks come before any store write)", () => {
  let root: string;
  let pair: SyncPair;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lockstep-inbound-guard-'));
    pair = await startSyncPair(root, { kind: 'embedded' });
  }, 120_000);
  afterAll(async () => {
    await pair?.close();
    await rm(root, { recursive: true, force: true });
  });

  /** The envelope A would send B for the insert of a new incident. */
  function envelope(id: string, shortDescription: string): SyncEnvelope {
    const { a, b } = pair;
    const sysId = randomBytes(16).toString('hex');
    return {
      id,
      process_event: PROCESS_EVENT,
      source: { remote_system: a.config.remoteSystemId, target_remote_system: b.config.remoteSystemId, instance: 'consumer' },
      operation: 'insert',
      sequence: 1,
      correlation: { sender_id: `test-sender-${sysId}`, receiver_id: null },
      payload: {
        table: 'incident',
        sys_id: sysId,
        operation: 'insert',
        fields: { short_description: shortDescription, description: null, priority: '2', state: '1' },
        changed: ['short_description', 'priority', 'state'],
        journal: {},
        attachments: [],
        metadata: { changed_by: 'admin', changed_on: '2026-05-01 10:00:00', domain: 'global', capture_definition: '2'.repeat(32), mod_count: 0 },
      },
      sent_at: new Date().toISOString(),
    };
  }

  /** POSTs to B's inbound API as A does: Basic auth as B's inbound API user, signed with the shared secret at the timestamp. */
  function post({ body, timestamp = Math.floor(Date.now() / 1000), secret }: InboundPost): Promise<Response> {
    const { userName, password, signingSecret } = pair.b.config.inboundApi;
    return fetch(`${pair.b.url}/api/sync/v1/inbound`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${userName}:${password}`).toString('base64')}`,
        'x-lockstep-timestamp': String(timestamp),
        'x-lockstep-signature': signRequest(secret ?? signingSecret, timestamp, body),
      },
      body,
    });
  }

  const statusOf = async (response: Response) => ((await response.json()) as { result: { status: string } }).result.status;
  const inboundCount = async () => (await queueItems(pair.b, 'inbound')).length;

  /** Expects a problem+json refusal with `status`, and B's inbound queue as it was. */
  async function expectRefused(response: Response, status: number, queuedBefore: number): Promise<void> {
    expect(response.status, await response.clone().text()).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await inboundCount()).toBe(queuedBefore);
  }

  it('applies an envelope once, however often it is replayed', async () => {
    const queuedBefore = await inboundCount();
    const body = JSON.stringify(envelope(randomUUID(), `${LABEL} replayed`));
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await post({ body, timestamp });
    expect(first.status).toBe(202);
    expect(await statusOf(first)).toBe('queued');
    // The very same request again, as an eavesdropper would replay it inside the window, then a fresh signing of it, as A's retry would send it.
    for (const again of [await post({ body, timestamp }), await post({ body })]) {
      expect(again.status).toBe(202);
      expect(await statusOf(again)).toBe('duplicate');
    }

    await until(async () => ((await queueItems(pair.b, 'inbound')).every((item) => item.status === 'processed') ? true : undefined), "B has processed the envelope's item");
    expect(await inboundCount()).toBe(queuedBefore + 1);
    expect(await recordsLabelled(pair.b, 'case', `${LABEL} replayed`)).toHaveLength(1);
  });

  it('refuses a signature by another secret with 401 and queues nothing', async () => {
    const queuedBefore = await inboundCount();
    const id = randomUUID();
    const body = JSON.stringify(envelope(id, `${LABEL} forged`));
    await expectRefused(await post({ body, secret: randomBytes(24).toString('base64url') }), 401, queuedBefore);
    // Nothing of it was kept, not even its id: the genuine envelope with that id is queued, not taken for a repeat.
    const genuine = await post({ body });
    expect(genuine.status).toBe(202);
    expect(await statusOf(genuine)).toBe('queued');
  });

  it(`refuses a timestamp more than ${SIGNATURE_WINDOW_SECONDS} s old with 401 and queues nothing`, async () => {
    const queuedBefore = await inboundCount();
    const body = JSON.stringify(envelope(randomUUID(), `${LABEL} stale`));
    await expectRefused(await post({ body, timestamp: Math.floor(Date.now() / 1000) - SIGNATURE_WINDOW_SECONDS - 5 }), 401, queuedBefore);
  });

  it('refuses a malformed envelope with 400 and queues nothing', async () => {
    const queuedBefore = await inboundCount();
    const { sequence: _dropped, ...withoutSequence } = envelope(randomUUID(), `${LABEL} malformed`);
    await expectRefused(await post({ body: JSON.stringify({ ...withoutSequence, id: 'not-a-uuid' }) }), 400, queuedBefore);
    await expectRefused(await post({ body: '{"id": "truncated' }), 400, queuedBefore);
  });
});
