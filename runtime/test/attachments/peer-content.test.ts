import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CorrelationStore } from '../../src/sync/correlation/correlation-store.js';
import { signRequest } from '../../src/sync/peer/signature.js';
import { expectProblem } from '../support/problem.js';
import { basic, describeOnEachStore } from '../support/runtime.js';
import { activate, SHARED_SECRET, signedPost, startPeerPair, type PeerSide } from '../sync/peer-pair.js';

/** How long pushed content may wait here for its completion and move: short, to wait out in a test. */
const PENDING_TTL_SECONDS = 2;
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0'), Buffer.alloc(400)]);

describeOnEachStore('content a peer pushes', (variant) => {
  let a: PeerSide;
  let b: PeerSide;
  let correlation: string;

  beforeAll(async () => {
    ({ a, b } = await startPeerPair(() => ({ ...variant.settings(), 'attachment-extensions': 'txt', 'attachment-pending-ttl': String(PENDING_TTL_SECONDS) })));
    for (const side of [a, b]) expect((await activate(side)).status).toBe(200);
    // What B's inbound flow makes for the case it creates: the correlation record A's pushes go to.
    const correlations = new CorrelationStore(b.runtime.store);
    correlation = (await correlations.create({ localTable: 'case', localRecord: 'e'.repeat(32), remoteSystem: b.remoteSystemId, remoteCorrelationId: null, domain: b.apiUser.domain }))._id;
  });
  afterAll(() => Promise.all([a?.runtime.dispose(), b?.runtime.dispose()]));

  const pair = () => ({ remote_system: b.remoteSystemId, source_remote_system: a.remoteSystemId, instance: 'consumer' });

  /** A's push of content to B, as A's transfer makes it: signed over the method and the URL, which names the hash and size. */
  function push(bytes: Buffer): Promise<Response> {
    const query = new URLSearchParams({ ...pair(), correlation, sha256: sha256Of(bytes), size: String(bytes.length) });
    const url = `/api/sync/v1/attachments/content?${query.toString()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    return fetch(`${b.runtime.url}${url}`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/octet-stream',
        authorization: basic(b.apiUser.userName, b.apiUser.password),
        'x-lockstep-timestamp': String(timestamp),
        'x-lockstep-signature': signRequest(SHARED_SECRET, timestamp, `PUT ${url}`),
      },
      body: bytes,
    });
  }

  const contentHeld = (bytes: Buffer) => b.runtime.store.collection('sys_attachment_content').countDocuments({ _id: sha256Of(bytes) });
  const stagedCount = () => b.runtime.store.collection('sys_attachment').countDocuments({ table_sys_id: correlation });
  async function contentFiles(): Promise<string[]> {
    const entries = await readdir(path.join(b.runtime.dataDir, 'attachments', 'content'), { recursive: true, withFileTypes: true }).catch(() => []);
    return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  }

  it('is refused with 415 when it is a program, and nothing of it is kept', async () => {
    const problem = await expectProblem(await push(exe), 415, 'attachment-executable');
    expect(problem.detail).toContain('the content is an executable (application/x-msdownload');
    expect(await contentHeld(exe)).toBe(0);
    expect(await contentFiles()).not.toContain(sha256Of(exe));
  });

  it('is removed once it has waited longer than --attachment-pending-ttl for its completion', async () => {
    const bytes = Buffer.from(`Never completed ${variant.name}.\n`);
    expect((await push(bytes)).status).toBe(201);
    expect(await contentHeld(bytes)).toBe(1);
    // Its index entry goes first, then its bytes.
    const kept = async () => (await contentHeld(bytes)) > 0 || (await contentFiles()).includes(sha256Of(bytes));
    await expect.poll(kept, { timeout: PENDING_TTL_SECONDS * 4000, interval: 100 }).toBe(false);
  });

  it('is staged when completed in time, and removed, content and all, when Move attachments never takes it', async () => {
    const bytes = Buffer.from(`Completed, never moved ${variant.name}.\n`);
    expect((await push(bytes)).status).toBe(201);
    const completion = JSON.stringify({ ...pair(), correlation, attachments: [{ sha256: sha256Of(bytes), file_name: 'notes.txt', content_type: 'text/plain', size: bytes.length }] });
    const completed = await signedPost(b, '/api/sync/v1/attachments/complete', { body: completion });
    expect(completed.status, await completed.clone().text()).toBe(200);
    expect((await completed.json()).result).toEqual([{ sha256: sha256Of(bytes), file_name: 'notes.txt', status: 'staged', reason: null }]);
    expect(await stagedCount()).toBe(1);
    // The attachment goes first, then its content: both, by the end of one sweep.
    const left = async () => ({ staged: await stagedCount(), content: await contentHeld(bytes) });
    await expect.poll(left, { timeout: PENDING_TTL_SECONDS * 4000, interval: 100 }).toEqual({ staged: 0, content: 0 });
  });
});
