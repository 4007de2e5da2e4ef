import { DuplicateKeyError, newId, ReadCache, type Collection, type DocumentStore, type Filter, type Sort, type StoredDocument } from '@lockstep/store';
import { nowDateTime } from '../time.js';
import type { AttachmentContent, ReceivedContent } from './content/attachment-content.js';
import type { RecordUsage } from './record-quota.js';

export const ATTACHMENT_TABLE = 'sys_attachment';
/**
 * Where a peer's attachments wait, on the correlation record, between its
 * completion and Move attachments: the table name they carry meanwhile.
 */
export const CORRELATION_TABLE = 'sync_correlation';

/** An attachment's metadata, in the original's fields; its content is stored under `hash`. */
export interface StoredAttachment extends StoredDocument {
  sys_id: string;
  sys_class_name: typeof ATTACHMENT_TABLE;
  table_name: string;
  table_sys_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  /** The content's sha256, hex. */
  hash: string;
  sys_domain: string;
  sys_created_on: string;
  sys_created_by: string;
  sys_updated_on: string;
  sys_updated_by: string;
  sys_mod_count: number;
  /** The remote system (this instance's record for it) the attachment was received from; null when made here. Never offered back there. */
  received_from: string | null;
}

export interface NewAttachment {
  tableName: string;
  tableSysId: string;
  fileName: string;
  contentType: string;
  domain: string;
  /** The user name it is created by. */
  createdBy: string;
  receivedFrom: string | null;
  /** Makes creating it again (a retried step or request) meet the same record. @default a new id */
  sysId?: string;
}

export interface AttachmentPage {
  filter: Filter;
  sort: Sort;
  limit: number;
  offset: number;
}

/**
 * Attachment metadata (`sys_attachment`), over the content it points to.
 * Attaching and deleting run under the content hash's lock, so the last
 * delete of a hash and a new attachment of it cannot cross.
 */
/** Records whose attachment lists are held at most: one a record, most of them empty. */
const RECORDS_HELD = 10_000;

export class AttachmentStore {
  private readonly attachments: Collection<StoredAttachment>;
  /**
   * Each change sent reads its record's attachments (Get attachment
   * metadata), most often none: held until the attachments are written,
   * where this process writes the database alone (ReadCache, an age of 0);
   * elsewhere each look-up reads.
   */
  private readonly ofRecords: ReadCache;

  constructor(
    store: DocumentStore,
    readonly content: AttachmentContent,
  ) {
    this.attachments = store.collection<StoredAttachment>(ATTACHMENT_TABLE);
    this.ofRecords = new ReadCache(store, 0, RECORDS_HELD);
  }

  async prepare(): Promise<void> {
    await this.attachments.createIndex({ fields: ['table_sys_id'] });
    await this.attachments.createIndex({ fields: ['hash'] });
    await this.content.prepare();
  }

  /** Keeps content just received under its hash and attaches it. */
  add(received: ReceivedContent, attachment: NewAttachment): Promise<StoredAttachment> {
    return this.content.exclusive(received.sha256, async () => {
      await this.content.keep(received, 'attached');
      return this.insert(attachment, received.sha256, received.size);
    });
  }

  /** Attaches content stored already; null when it is not there (any more). */
  link(sha256: string, attachment: NewAttachment): Promise<StoredAttachment | null> {
    return this.content.exclusive(sha256, async () => {
      const content = await this.content.info(sha256);
      if (!content) return null;
      const linked = await this.insert(attachment, sha256, content.size);
      await this.content.settle(sha256);
      return linked;
    });
  }

  get(sysId: string): Promise<StoredAttachment | null> {
    return this.attachments.findOne({ _id: sysId });
  }

  /** Those of the attachments that exist, by sys_id, in one read. */
  async getMany(sysIds: readonly string[]): Promise<Map<string, StoredAttachment>> {
    const found = await this.attachments.find({ _id: { $in: [...new Set(sysIds)] } });
    return new Map(found.map((attachment) => [attachment._id, attachment]));
  }

  /** A record just created under an id made here has no attachments: its first look-up need not read them. */
  created(tableName: string, sysId: string): void {
    this.ofRecords.know(`${tableName}:${sysId}`, [ATTACHMENT_TABLE], []);
  }

  /** A record's attachments, oldest first. Shared with other callers: not to be changed. */
  ofRecord(tableName: string, sysId: string): Promise<StoredAttachment[]> {
    return this.ofRecords.read(`${tableName}:${sysId}`, [ATTACHMENT_TABLE], () =>
      this.attachments.find({ table_sys_id: sysId, table_name: tableName }, { sort: { sys_created_on: 1, _id: 1 } }),
    );
  }

  /** How many attachments the records with these sys_ids have, and their bytes, in one read. */
  async usage(tableSysIds: readonly string[]): Promise<RecordUsage> {
    const found = await this.attachments.find({ table_sys_id: { $in: [...new Set(tableSysIds)] } }, { projection: { size_bytes: 1 } });
    return { count: found.length, bytes: found.reduce((sum, attachment) => sum + attachment.size_bytes, 0) };
  }

  /** Attachments staged on correlation records before `cutoff` (a stored date-time) that Move attachments never took. */
  stagedBefore(cutoff: string): Promise<StoredAttachment[]> {
    return this.attachments.find({ table_name: CORRELATION_TABLE, sys_created_on: { $lt: cutoff } });
  }

  async list({ filter, sort, limit, offset }: AttachmentPage): Promise<{ attachments: StoredAttachment[]; total: number }> {
    const [attachments, total] = await Promise.all([
      this.attachments.find(filter, { sort: { ...sort, _id: 1 }, limit, skip: offset }),
      this.attachments.countDocuments(filter),
    ]);
    return { attachments, total };
  }

  /** Removes the attachment, and its content once no attachment refers to it. */
  delete(attachment: StoredAttachment): Promise<void> {
    return this.content.exclusive(attachment.hash, async () => {
      await this.attachments.deleteOne({ _id: attachment._id });
      await this.dropIfUnused(attachment.hash);
    });
  }

  /** Drops content that a refused completion left with nothing referring to it. */
  release(sha256: string): Promise<void> {
    return this.content.exclusive(sha256, () => this.dropIfUnused(sha256));
  }

  /** Removes a staged attachment, and its content once unused; not one that was moved to its record meanwhile. True when it went. */
  dropStaged(attachment: StoredAttachment): Promise<boolean> {
    return this.content.exclusive(attachment.hash, async () => {
      if ((await this.attachments.deleteOne({ _id: attachment._id, table_name: CORRELATION_TABLE })) === 0) return false;
      await this.dropIfUnused(attachment.hash);
      return true;
    });
  }

  /**
   * Removes content pushed before `cutoff` that no attachment refers to:
   * its completion never came. Content pushed again since, or attached
   * meanwhile, stays; attached content is no longer pending. True when it went.
   */
  discardPending(sha256: string, cutoff: string): Promise<boolean> {
    return this.content.exclusive(sha256, async () => {
      const content = await this.content.info(sha256);
      if (content?.pending_since === undefined || content.pending_since >= cutoff) return false;
      if ((await this.attachments.countDocuments({ hash: sha256 })) > 0) {
        await this.content.settle(sha256);
        return false;
      }
      await this.content.drop(sha256);
      return true;
    });
  }

  /** Moves an attachment staged on a correlation record to its target record; false when it was moved already. */
  async moveTo(attachment: StoredAttachment, target: { tableName: string; sysId: string; domain: string; by: string }): Promise<boolean> {
    const { modifiedCount } = await this.attachments.updateOne(
      { _id: attachment._id, table_name: CORRELATION_TABLE },
      {
        $set: { table_name: target.tableName, table_sys_id: target.sysId, sys_domain: target.domain, sys_updated_on: nowDateTime(), sys_updated_by: target.by },
        $inc: { sys_mod_count: 1 },
      },
    );
    return modifiedCount === 1;
  }

  private async dropIfUnused(sha256: string): Promise<void> {
    if ((await this.attachments.countDocuments({ hash: sha256 })) === 0) await this.content.drop(sha256);
  }

  private async insert(attachment: NewAttachment, sha256: string, size: number): Promise<StoredAttachment> {
    const sysId = attachment.sysId ?? newId();
    const now = nowDateTime();
    try {
      return await this.attachments.insertOne({
        _id: sysId,
        sys_id: sysId,
        sys_class_name: ATTACHMENT_TABLE,
        table_name: attachment.tableName,
        table_sys_id: attachment.tableSysId,
        file_name: attachment.fileName,
        content_type: attachment.contentType,
        size_bytes: size,
        hash: sha256,
        sys_domain: attachment.domain,
        sys_created_on: now,
        sys_created_by: attachment.createdBy,
        sys_updated_on: now,
        sys_updated_by: attachment.createdBy,
        sys_mod_count: 0,
        received_from: attachment.receivedFrom,
      });
    } catch (error) {
      const existing = error instanceof DuplicateKeyError && attachment.sysId !== undefined ? await this.get(sysId) : null;
      if (!existing) throw error;
      return existing;
    }
  }
}
