import type { Readable } from 'node:stream';

/**
 * Where attachment content lives: bytes addressed by their sha256, so a file
 * attached twice (or received back from a peer) is stored once. Content
 * streams in and out in chunks; no file is ever held whole in memory.
 *
 * Two adapters, picked with the document store: files under the data
 * directory (embedded), and GridFS on the MongoDB database.
 */
export interface BlobStore {
  /**
   * Streams `source` to a place of its own while hashing it. Nothing is
   * visible under its hash until `commit`; `discard` leaves no trace.
   * Rejects with ContentTooLargeError once more than `maxBytes` arrive.
   */
  receive(source: Readable, maxBytes: number): Promise<IncomingBlob>;
  /** The content, or null when none is stored under this hash. */
  open(sha256: string): Promise<Readable | null>;
  /** Removes the content stored under this hash, if any. */
  remove(sha256: string): Promise<void>;
  close(): Promise<void>;
}

/** Content received but not yet stored under its hash. */
export interface IncomingBlob {
  sha256: string;
  size: number;
  /** The first bytes, for telling the content's type. */
  head: Buffer;
  /** Stores it under its hash; when content with that hash is there already, keeps that one. */
  commit(): Promise<void>;
  discard(): Promise<void>;
}

export class ContentTooLargeError extends Error {
  override readonly name = 'ContentTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the content is larger than ${maxBytes} bytes`);
  }
}
