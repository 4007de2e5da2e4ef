import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { sha256Pattern } from '@lockstep/schema';
import { receiveInto } from './blob-meter.js';
import type { BlobStore, IncomingBlob } from './blob-store.js';

/** Readable by the runtime's user alone, as the embedded store's own files are. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * The embedded store's content: one file per hash under
 * `<data dir>/attachments/content/<first two hex digits>/<sha256>`. A file
 * is written under `incoming/` first and renamed into place once its hash
 * is known, so a crash mid-upload never leaves a file under a hash that is
 * not its own. File names given by users never reach the file system.
 */
export async function openFileBlobs(dataDir: string): Promise<BlobStore> {
  const root = path.resolve(dataDir, 'attachments');
  const incoming = path.join(root, 'incoming');
  // Whatever is still incoming was cut off by a crash: no upload can be in flight before the store opens.
  await rm(incoming, { recursive: true, force: true });
  await mkdir(incoming, { recursive: true, mode: DIR_MODE });
  await mkdir(path.join(root, 'content'), { recursive: true, mode: DIR_MODE });
  return new FileBlobs(root, incoming);
}

class FileBlobs implements BlobStore {
  constructor(
    private readonly root: string,
    private readonly incoming: string,
  ) {}

  receive(source: Readable, maxBytes: number): Promise<IncomingBlob> {
    const temporary = path.join(this.incoming, randomUUID());
    return receiveInto(source, maxBytes, {
      // flush: the bytes are on disk before the file is renamed under its hash.
      sink: createWriteStream(temporary, { flags: 'wx', flush: true, mode: FILE_MODE }),
      keep: async (sha256) => {
        const target = this.pathOf(sha256);
        await mkdir(path.dirname(target), { recursive: true, mode: DIR_MODE });
        // Over a file of the same hash this replaces identical bytes, and a reader already open keeps its own.
        await rename(temporary, target);
      },
      discard: () => rm(temporary, { force: true }),
    });
  }

  async open(sha256: string): Promise<Readable | null> {
    try {
      const handle = await open(this.pathOf(sha256), 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  remove(sha256: string): Promise<void> {
    return rm(this.pathOf(sha256), { force: true });
  }

  async close(): Promise<void> {}

  private pathOf(sha256: string): string {
    // Hashes come from this runtime's own hashing or a validated request; this keeps any other text out of paths.
    if (!sha256Pattern.test(sha256)) throw new Error(`${sha256} is not a sha256`);
    return path.join(this.root, 'content', sha256.slice(0, 2), sha256);
  }
}
