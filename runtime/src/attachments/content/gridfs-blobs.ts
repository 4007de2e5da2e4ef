import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { type Collection, type FindCursor, GridFSBucket, type GridFSChunk, type GridFSFile, MongoClient, type ObjectId } from 'mongodb';
import { receiveInto } from './blob-meter.js';
import type { BlobStore, IncomingBlob } from './blob-store.js';

/** `attachment_content.files` and `attachment_content.chunks`, in the instance's database. */
const BUCKET = 'attachment_content';

/**
 * Chunks (255 KiB each) fetched per round trip when reading. The driver's
 * own download takes what the server sends per batch, and FerretDB sends up
 * to 16 MB at a time; small batches keep a download's memory to about a
 * megabyte whatever the file's size, at no measurable cost in speed.
 */
const CHUNKS_PER_BATCH = 4;

/**
 * The MongoDB adapter's content: GridFS, with each file's name its sha256.
 * An upload goes in under a name of its own (`incoming/…`) and is renamed
 * to its hash once that is known. Works on FerretDB v1 (SQLite) too, where
 * every chunk query is a full scan that FerretDB sorts in its own memory:
 * fine for tests and small instances, while MongoDB serves it from the
 * `files_id, n` index GridFS creates.
 */
export async function openGridFsBlobs(uri: string, databaseName: string): Promise<BlobStore> {
  // A client of its own: GridFS streams are driver objects that the document-store port does not expose.
  const client = new MongoClient(uri);
  await client.connect();
  return new GridFsBlobs(client, databaseName);
}

class GridFsBlobs implements BlobStore {
  private readonly bucket: GridFSBucket;
  private readonly files: Collection<GridFSFile>;
  private readonly chunks: Collection<GridFSChunk>;

  constructor(
    private readonly client: MongoClient,
    databaseName: string,
  ) {
    const db = client.db(databaseName);
    this.bucket = new GridFSBucket(db, { bucketName: BUCKET });
    this.files = db.collection<GridFSFile>(`${BUCKET}.files`);
    this.chunks = db.collection<GridFSChunk>(`${BUCKET}.chunks`);
  }

  receive(source: Readable, maxBytes: number): Promise<IncomingBlob> {
    const upload = this.bucket.openUploadStream(`incoming/${randomUUID()}`);
    return receiveInto(source, maxBytes, {
      sink: upload,
      keep: async (sha256) => {
        const existing = await this.files.findOne({ filename: sha256 }, { projection: { _id: 1 } });
        if (existing) await this.drop(upload.id);
        else await this.bucket.rename(upload.id, sha256);
      },
      discard: () => this.drop(upload.id),
    });
  }

  async open(sha256: string): Promise<Readable | null> {
    const file = await this.files.findOne({ filename: sha256 });
    if (!file) return null;
    const cursor = this.chunks.find({ files_id: file._id }, { sort: { n: 1 }, batchSize: CHUNKS_PER_BATCH });
    // The first batch is where FerretDB scans and sorts (seconds for a large collection): done before the
    // stream is handed out, so a connection waiting for its first bytes does not sit idle meanwhile.
    await cursor.hasNext();
    const stream = Readable.from(chunksOf(file, cursor), { objectMode: false });
    // A stream destroyed before it was read never runs the generator that would close the cursor.
    stream.once('close', () => void cursor.close());
    return stream;
  }

  async remove(sha256: string): Promise<void> {
    for (const file of await this.files.find({ filename: sha256 }, { projection: { _id: 1 } }).toArray()) await this.drop(file._id);
  }

  close(): Promise<void> {
    return this.client.close();
  }

  /** Removes a file and its chunks, including the chunks of an upload that failed before its file document was written. */
  private async drop(id: ObjectId): Promise<void> {
    await this.chunks.deleteMany({ files_id: id });
    await this.files.deleteOne({ _id: id });
  }
}

async function* chunksOf(file: GridFSFile, cursor: FindCursor<GridFSChunk>): AsyncGenerator<Buffer> {
  let expected = 0;
  let read = 0;
  for await (const chunk of cursor) {
    if (chunk.n !== expected) throw new Error(`attachment content ${file.filename} is damaged: chunk ${expected} is missing`);
    expected += 1;
    const data = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
    read += data.length;
    yield data;
  }
  if (read !== file.length) throw new Error(`attachment content ${file.filename} is damaged: ${read} of its ${file.length} bytes are stored`);
}
