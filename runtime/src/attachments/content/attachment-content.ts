import type { Readable } from 'node:stream';
import type { Collection, DocumentStore, StoredDocument } from '@lockstep/store';
import { nowDateTime } from '../../time.js';
import { sniffType, type SniffedType } from '../content-type.js';
import type { BlobStore, IncomingBlob } from './blob-store.js';
import { KeyedLock } from './keyed-lock.js';

/**
 * One entry per stored content hash: its size and what its first bytes
 * say it is, so a peer's completion can be checked against content that
 * arrived earlier (or was here already) without reading it again.
 */
export interface StoredContent extends StoredDocument {
  /** The sha256. */
  _id: string;
  size: number;
  sniffed_mime: string | null;
  sniffed_ext: string | null;
  sys_created_on: string;
  /**
   * When a peer last pushed it for an attachment it had yet to complete;
   * unset once an attachment refers to it. The sweep removes what stays
   * pending too long (PendingContentSweep).
   */
  pending_since?: string;
}

/** Content received and checked, waiting to be kept or discarded. */
export interface ReceivedContent {
  sha256: string;
  size: number;
  sniffed: SniffedType | null;
  incoming: IncomingBlob;
}

export function sniffedOf(content: StoredContent): SniffedType | null {
  return content.sniffed_mime === null ? null : { mime: content.sniffed_mime, ext: content.sniffed_ext ?? '' };
}

/**
 * The attachment content of an instance: blobs by hash, and their index.
 * Keeping content and dropping it when nothing refers to it any more must
 * not interleave for one hash (a drop could take content just attached), so
 * both run under `exclusive(sha256)`, within this process.
 */
export class AttachmentContent {
  private readonly index: Collection<StoredContent>;
  private readonly locks = new KeyedLock();

  constructor(
    store: DocumentStore,
    private readonly blobs: BlobStore,
  ) {
    this.index = store.collection<StoredContent>('sys_attachment_content');
  }

  async prepare(): Promise<void> {
    await this.index.createIndex({ fields: ['pending_since'], sparse: true });
  }

  async receive(source: Readable, maxBytes: number): Promise<ReceivedContent> {
    const incoming = await this.blobs.receive(source, maxBytes);
    try {
      return { sha256: incoming.sha256, size: incoming.size, sniffed: await sniffType(incoming.head), incoming };
    } catch (error) {
      await incoming.discard();
      throw error;
    }
  }

  exclusive<T>(sha256: string, work: () => Promise<T>): Promise<T> {
    return this.locks.run(sha256, work);
  }

  /**
   * Stores received content under its hash; within `exclusive`. As
   * `pending`: a peer pushed it, and the attachment that will refer to it
   * comes with a later completion. As `attached`: an attachment refers to it
   * within the same exclusive run.
   */
  async keep(received: ReceivedContent, as: 'pending' | 'attached'): Promise<void> {
    await received.incoming.commit();
    const { sha256, size, sniffed } = received;
    const now = nowDateTime();
    const known = { size, sniffed_mime: sniffed?.mime ?? null, sniffed_ext: sniffed?.ext ?? null };
    await this.index.updateOne(
      { _id: sha256 },
      as === 'pending' ? { $set: { ...known, pending_since: now }, $min: { sys_created_on: now } } : { $set: known, $unset: { pending_since: true }, $min: { sys_created_on: now } },
      { upsert: true },
    );
  }

  /** Content an attachment now refers to is no longer pending; within `exclusive`. */
  async settle(sha256: string): Promise<void> {
    await this.index.updateOne({ _id: sha256, pending_since: { $exists: true } }, { $unset: { pending_since: true } });
  }

  /** Content pushed before `cutoff` (a stored date-time) that no completion has settled since. */
  pendingBefore(cutoff: string): Promise<StoredContent[]> {
    return this.index.find({ pending_since: { $lt: cutoff } });
  }

  info(sha256: string): Promise<StoredContent | null> {
    return this.index.findOne({ _id: sha256 });
  }

  /** Which of the hashes have their content stored here, in one read. */
  async held(sha256s: readonly string[]): Promise<Set<string>> {
    const found = await this.index.find({ _id: { $in: [...new Set(sha256s)] } });
    return new Set(found.map((content) => content._id));
  }

  async open(sha256: string): Promise<Readable> {
    const stream = await this.blobs.open(sha256);
    if (!stream) throw new Error(`the content ${sha256} is missing from the attachment store`);
    return stream;
  }

  /** Removes content nothing refers to any more; within `exclusive`. The index goes first, so content is never listed without its bytes. */
  async drop(sha256: string): Promise<void> {
    await this.index.deleteOne({ _id: sha256 });
    await this.blobs.remove(sha256);
  }

  close(): Promise<void> {
    return this.blobs.close();
  }
}
