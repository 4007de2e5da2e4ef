import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ContentTooLargeError, type BlobStore } from '../../src/attachments/content/blob-store.js';
import { HEAD_BYTES } from '../../src/attachments/content/blob-meter.js';
import { openFileBlobs } from '../../src/attachments/content/file-blobs.js';
import { openGridFsBlobs } from '../../src/attachments/content/gridfs-blobs.js';
import { uniqueDatabaseName } from '../store/adapters.js';

/** Where a blob store keeps what it has not committed: what must be empty after a failed or discarded upload. */
interface BlobAdapter {
  name: string;
  skipReason: string | undefined;
  open(): Promise<BlobStore>;
  leftovers(): Promise<number>;
  dispose(): Promise<void>;
}

function fileAdapter(): BlobAdapter {
  let dataDir = '';
  return {
    name: 'files (embedded store)',
    skipReason: undefined,
    async open() {
      dataDir = await mkdtemp(path.join(tmpdir(), 'lockstep-blobs-'));
      return openFileBlobs(dataDir);
    },
    leftovers: async () => (await readdir(path.join(dataDir, 'attachments', 'incoming'))).length,
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}

function gridFsAdapter(): BlobAdapter {
  const uri = inject('mongodbUri');
  const databaseName = uniqueDatabaseName();
  const withDatabase = async <T>(work: (client: MongoClient) => Promise<T>): Promise<T> => {
    const client = await MongoClient.connect(uri ?? '');
    try {
      return await work(client);
    } finally {
      await client.close();
    }
  };
  return {
    name: 'GridFS (mongodb store)',
    skipReason: uri === null ? `skipped: ${inject('mongodbSource')}` : undefined,
    open: () => openGridFsBlobs(uri ?? '', databaseName),
    // An incoming upload is a GridFS file not yet named after its hash, or chunks of one whose file document never came.
    leftovers: () =>
      withDatabase(async (client) => {
        const db = client.db(databaseName);
        const incoming = await db.collection('attachment_content.files').countDocuments({ filename: { $regex: /^incoming\// } });
        const named = await db.collection('attachment_content.files').find({}, { projection: { _id: 1 } }).toArray();
        const orphans = await db.collection('attachment_content.chunks').countDocuments({ files_id: { $nin: named.map((file) => file._id) } });
        return incoming + orphans;
      }),
    dispose: () => withDatabase((client) => client.db(databaseName).dropDatabase()),
  };
}

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The content read back, in the chunks the store streams it in. */
async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        parts.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(parts);
}

/** A source that yields the content in small pieces, as a network body does. */
const sourceOf = (bytes: Buffer, piece = 64 * 1024) => Readable.from((function* () {
  for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
})());

describe.each([fileAdapter(), gridFsAdapter()].map((adapter) => [adapter.name, adapter] as const))('attachment content in %s', (_name, adapter) => {
  describe.skipIf(adapter.skipReason !== undefined)(adapter.skipReason ?? 'blob store', () => {
    let blobs: BlobStore;
    beforeAll(async () => {
      blobs = await adapter.open();
    });
    afterAll(async () => {
      await blobs.close();
      await adapter.dispose();
    });

    it('hashes content as it streams in, shows it under its hash only once committed, and streams it back unchanged', async () => {
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      const incoming = await blobs.receive(sourceOf(bytes), bytes.length);
      expect({ sha256: incoming.sha256, size: incoming.size }).toEqual({ sha256: sha256Of(bytes), size: bytes.length });
      expect(incoming.head.equals(bytes.subarray(0, HEAD_BYTES))).toBe(true);
      expect(await blobs.open(incoming.sha256)).toBeNull();
      await incoming.commit();
      const stored = await blobs.open(incoming.sha256);
      expect(sha256Of(await readAll(stored!))).toBe(sha256Of(bytes));
      expect(await adapter.leftovers()).toBe(0);
    });

    it('keeps one copy of content committed twice, and removes it', async () => {
      const bytes = randomBytes(300 * 1024);
      const first = await blobs.receive(sourceOf(bytes), bytes.length);
      const second = await blobs.receive(sourceOf(bytes), bytes.length);
      await first.commit();
      await second.commit();
      expect((await readAll((await blobs.open(first.sha256))!)).equals(bytes)).toBe(true);
      expect(await adapter.leftovers()).toBe(0);
      await blobs.remove(first.sha256);
      expect(await blobs.open(first.sha256)).toBeNull();
    });

    it('stops at the byte past the limit and leaves nothing behind, nor anything of a discarded upload', async () => {
      const bytes = randomBytes(600 * 1024);
      await expect(blobs.receive(sourceOf(bytes), bytes.length - 1)).rejects.toBeInstanceOf(ContentTooLargeError);
      const discarded = await blobs.receive(sourceOf(bytes), bytes.length);
      await discarded.discard();
      expect(await blobs.open(discarded.sha256)).toBeNull();
      expect(await adapter.leftovers()).toBe(0);
    });

    it('stores empty content', async () => {
      const incoming = await blobs.receive(Readable.from([]), 10);
      await incoming.commit();
      expect(incoming).toMatchObject({ size: 0, sha256: sha256Of(Buffer.alloc(0)) });
      expect((await readAll((await blobs.open(incoming.sha256))!)).length).toBe(0);
    });
  });
});
