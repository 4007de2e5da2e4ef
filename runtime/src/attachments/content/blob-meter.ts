import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ContentTooLargeError, type IncomingBlob } from './blob-store.js';

/**
 * Enough of a file's start to tell its type: file-type reads zip-based
 * formats (docx, odt) a little way into their first entries.
 */
export const HEAD_BYTES = 64 * 1024;

/**
 * Passes content through on its way to storage, hashing it, counting it and
 * keeping its first bytes; it fails the stream as soon as the content goes
 * past `maxBytes`, so an oversized upload stops there instead of filling the disk.
 */
class BlobMeter extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');
  private readonly headParts: Buffer[] = [];
  private headLength = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      done(new ContentTooLargeError(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      // A copy: the chunk's memory may be reused once it has gone on.
      this.headParts.push(Buffer.from(part));
      this.headLength += part.length;
    }
    done(null, chunk);
  }

  /** The sha256 of everything that passed; call once the stream has ended. */
  sha256(): string {
    return this.hash.digest('hex');
  }

  head(): Buffer {
    return Buffer.concat(this.headParts);
  }
}

/** What a blob store does with content once it is metered into its temporary place. */
export interface IncomingPlace {
  /** Where the bytes go meanwhile. */
  sink: Writable;
  /** Moves them under their hash. */
  keep(sha256: string): Promise<void>;
  /** Removes them, also after a failed or refused upload. */
  discard(): Promise<void>;
}

/** Streams content into a blob store's temporary place, metered; a failure leaves nothing there. */
export async function receiveInto(source: Readable, maxBytes: number, place: IncomingPlace): Promise<IncomingBlob> {
  const meter = new BlobMeter(maxBytes);
  try {
    await pipeline(source, meter, place.sink);
  } catch (error) {
    await place.discard();
    throw error;
  }
  const sha256 = meter.sha256();
  return { sha256, size: meter.size, head: meter.head(), commit: () => place.keep(sha256), discard: () => place.discard() };
}
