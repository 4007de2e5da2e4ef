import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../runtime/test/support/problem.js';
import { signRequest } from '../runtime/src/sync/peer/signature.js';
import { basicAuth, contentReceptions, uploadFile } from './support/attachment-files.js';
import { attachmentsNamed, linkedRecords } from './support/attachment-pair.js';
import { pairStores, usePair } from './support/pair-suite.js';
import type { SyncPair } from './support/sync-pair.js';

/** Long enough for the pair to sync a small file under its key, short enough to wait out in a test. */
const KEY_TTL_SECONDS = 6;

/** The key with one character of its sealed part changed. */
function altered(key: string): string {
  const at = 20;
  return `${key.slice(0, at)}${key[at] === 'A' ? 'B' : 'A'}${key.slice(at + 1)}`;
}

for (const { name, store, skipped } of pairStores()) {
  describe.skipIf(store === null)(`synthetic attachment keys between two runtime processes (${name} store)${skipped}`, () => {
    const pairOf = usePair('attachment-keys', store!, ['--attachment-extensions', 'txt', '--attachment-key-ttl', String(KEY_TTL_SECONDS)]);
    let directory = '';
    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'lockstep-attachment-keys-'));
    });
    afterAll(() => rm(directory, { recursive: true, force: true }));

    /** B asking A for attachments, as B's Request attachments step does: as A's inbound API user, signed with the shared secret. */
    async function requestAsProvider(pair: SyncPair, correlation: string, key: string): Promise<Response> {
      const { a, b } = pair;
      const body = JSON.stringify({
        remote_system: a.config.remoteSystemId,
        source_remote_system: b.config.remoteSystemId,
        instance: 'provider',
        correlation,
        attachments: [{ key, need_content: true }],
      });
      const timestamp = Math.floor(Date.now() / 1000);
      return fetch(`${a.url}/api/sync/v1/attachments/request`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: basicAuth(a.config.inboundApi.userName, a.config.inboundApi.password),
          'X-Lockstep-Timestamp': String(timestamp),
          'X-Lockstep-Signature': signRequest(a.config.inboundApi.signingSecret, timestamp, body),
        },
        body,
      });
    }

    it('refuses an altered key and, once it has expired, the key itself, with 403 and before sending anything', async () => {
      const pair = pairOf();
      const { a, b } = pair;
      const { incident, kase } = await linkedRecords(pair, `Keys ${name}`);
      const path = join(directory, 'evidence.txt');
      await writeFile(path, 'Seen at 10:02 from the server room.\n');
      const uploaded = await uploadFile(a, basicAuth('agent', pair.agentPassword), incident, path, 'evidence.txt', 'text/plain');
      // Within its life, the key got the file across.
      await attachmentsNamed(kase, ['evidence.txt']);
      const offeredAt = Date.now();

      // The key as B received it, in the envelope that offered the file; and B's correlation record for the case.
      const inbound = (await b.api.call('GET', '/api/lockstep/v1/sync/inbound-queue?limit=1000')).body.result as { payload_json: string }[];
      const offered = inbound.flatMap((item) => JSON.parse(item.payload_json).payload.attachments as { key: string; file_name: string }[]);
      const key = offered.find((attachment) => attachment.file_name === 'evidence.txt')!.key;
      const correlations = await b.api.call('GET', `/api/lockstep/v1/sync/correlations?local_table=case&local_record=${kase.sysId}`);
      const correlation = (correlations.body.result as { sys_id: string }[])[0]!.sys_id;

      const tampered = await expectProblem(await requestAsProvider(pair, correlation, altered(key)), 403, 'attachment-key-refused');
      expect(tampered.detail).toBe('attachments.0.key is refused: it was altered, or this instance did not issue it');

      await new Promise((resolve) => setTimeout(resolve, Math.max(0, offeredAt + KEY_TTL_SECONDS * 1000 + 1000 - Date.now())));
      const expired = await expectProblem(await requestAsProvider(pair, correlation, key), 403, 'attachment-key-refused');
      expect(expired.detail).toMatch(/^attachments\.0\.key is refused: it expired at \d{4}-\d\d-\d\dT/);

      // Neither request sent content: B received the file's bytes once, when the sync asked for them.
      expect(contentReceptions(b, uploaded.hash)).toBe(1);
    });
  });
}
