import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttachmentStore, CORRELATION_TABLE } from '../../src/attachments/attachment-store.js';
import { AttachmentContent } from '../../src/attachments/content/attachment-content.js';
import { openFileBlobs } from '../../src/attachments/content/file-blobs.js';
import { RecordQuota } from '../../src/attachments/record-quota.js';
import { openEmbeddedStore, type DocumentStore } from '@lockstep/store';
import { AttachmentReceiver } from '../../src/sync/attachments/attachment-receiver.js';
import type { StoredRemoteSystem } from '../../src/sync/config/sync-config-store.js';
import type { StoredCorrelation } from '../../src/sync/correlation/correlation-store.js';

const remote = { _id: 'a'.repeat(32), name: 'consumer instance' } as StoredRemoteSystem;
const correlation = { _id: 'c'.repeat(32), local_record: 'd'.repeat(32), sys_domain: 'global/acme' } as StoredCorrelation;
const limits = { maxBytes: 1000, extensions: new Set(['txt']), maxPerRecord: 3, maxRecordBytes: 10_000 };

describe('what a receiver makes of a completion (embedded store: the checks are the same on both; each content store has its own suite)', () => {
  let dataDir: string;
  let store: DocumentStore;
  let attachments: AttachmentStore;
  let receiver: AttachmentReceiver;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lockstep-receiver-'));
    store = await openEmbeddedStore({ dataDir });
    attachments = new AttachmentStore(store, new AttachmentContent(store, await openFileBlobs(dataDir)));
    await attachments.prepare();
    receiver = new AttachmentReceiver(attachments, limits, new RecordQuota(attachments, limits));
  });
  afterAll(async () => {
    await attachments.content.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Content as the originator's push leaves it: kept under its hash, attached to nothing yet. */
  async function pushed(bytes: Buffer): Promise<string> {
    const received = await attachments.content.receive(Readable.from([bytes]), 10_000);
    await attachments.content.exclusive(received.sha256, () => attachments.content.keep(received, 'pending'));
    return received.sha256;
  }

  it('stages what its own limits allow on the correlation record, and refuses the rest saying why, dropping content nothing uses', async () => {
    const notes = await pushed(Buffer.from('Replaced the drum.\n'));
    const large = await pushed(Buffer.concat([Buffer.from('LOCKSTEP TEST FILE\n'), randomBytes(2000)]));
    const receipts = await receiver.complete(
      remote,
      correlation,
      [
        { sha256: notes, file_name: 'notes.txt', content_type: 'text/plain', size: 19 },
        { sha256: notes, file_name: 'notes.exe', content_type: 'text/plain', size: 19 },
        { sha256: notes, file_name: 'notes.pdf.txt', content_type: 'application/pdf', size: 19 },
        { sha256: notes, file_name: 'longer.txt', content_type: 'text/plain', size: 20 },
        { sha256: large, file_name: 'large.txt', content_type: 'text/plain', size: 2019 },
        { sha256: 'f'.repeat(64), file_name: 'never-sent.txt', content_type: 'text/plain', size: 1 },
      ],
      'sync.api',
    );
    expect(receipts.map(({ file_name, status, reason }) => [file_name, status, reason])).toEqual([
      ['notes.txt', 'staged', null],
      ['notes.exe', 'refused', 'files ending in .exe are not allowed here; the allowed extensions are txt'],
      ['notes.pdf.txt', 'refused', 'the content is not application/pdf: it does not begin the way application/pdf content does'],
      ['longer.txt', 'refused', 'its content is 19 bytes, not the 20 completed'],
      ['large.txt', 'refused', 'the file is 2019 bytes, more than the 1000 bytes allowed for an attachment here'],
      ['never-sent.txt', 'refused', 'its content has not arrived here; push it before completing it'],
    ]);
    // The refused file's content goes; the staged one's stays.
    expect(await attachments.content.info(large)).toBeNull();
    expect(await attachments.content.info(notes)).toMatchObject({ size: 19 });

    const staged = await attachments.ofRecord(CORRELATION_TABLE, correlation._id);
    expect(staged).toEqual([expect.objectContaining({ file_name: 'notes.txt', hash: notes, sys_domain: 'global/acme', received_from: remote._id, sys_created_by: 'sync.api' })]);
  });

  it('stages a file completed again (a retried request) once', async () => {
    const again = await pushed(Buffer.from('Second look.\n'));
    const file = { sha256: again, file_name: 'again.txt', content_type: 'text/plain', size: 13 };
    await receiver.complete(remote, correlation, [file], 'sync.api');
    const [receipt] = await receiver.complete(remote, correlation, [file], 'sync.api');
    expect(receipt?.status).toBe('staged');
    expect((await attachments.ofRecord(CORRELATION_TABLE, correlation._id)).filter((attachment) => attachment.file_name === 'again.txt')).toHaveLength(1);
  });

  it("counts the files staged for a record against its limits, and refuses one it has no room for (with no content left behind)", async () => {
    const third = await pushed(Buffer.from('Third note.\n'));
    const fourth = await pushed(Buffer.from('Fourth note.\n'));
    const receipts = await receiver.complete(
      remote,
      correlation,
      [
        { sha256: third, file_name: 'third.txt', content_type: 'text/plain', size: 12 },
        { sha256: fourth, file_name: 'fourth.txt', content_type: 'text/plain', size: 13 },
      ],
      'sync.api',
    );
    expect(receipts.map(({ file_name, status, reason }) => [file_name, status, reason])).toEqual([
      ['third.txt', 'staged', null],
      ['fourth.txt', 'refused', 'the record has 3 attachments, the most one may have here; delete one to attach another'],
    ]);
    expect(await attachments.content.info(fourth)).toBeNull();
    // No longer pending once staged: the sweep leaves it alone.
    expect(await attachments.content.info(third)).not.toHaveProperty('pending_since');
  });
});
