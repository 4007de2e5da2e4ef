import { fileCap, type AttachmentLimits, type ContentCap, type Refusal } from './attachment-limits.js';
import type { AttachmentStore } from './attachment-store.js';
import { KeyedLock } from './content/keyed-lock.js';

/** What a record's attachments take up: how many, and their bytes. */
export interface RecordUsage {
  count: number;
  bytes: number;
}

/**
 * The limits on a record's attachments as a whole: how many it may have and
 * how many bytes they may add up to. Files waiting on a correlation record
 * to be moved to a record count as that record's. Checks that precede an
 * attach run one at a time per record (within this process), so two
 * uploads cannot both take the record's last place.
 */
export class RecordQuota {
  private readonly locks = new KeyedLock();

  constructor(
    private readonly attachments: AttachmentStore,
    private readonly limits: AttachmentLimits,
  ) {}

  /** The usage of the record with this sys_id, with the files of the other sys_ids (its staged ones) counted in. */
  usage(recordIds: readonly string[]): Promise<RecordUsage> {
    return this.attachments.usage(recordIds);
  }

  /** Why one more file of `size` bytes (undefined: not known yet) would take the record past a limit; null when it fits. */
  refusal(usage: RecordUsage, size?: number): Refusal | null {
    const { maxPerRecord, maxRecordBytes } = this.limits;
    if (usage.count >= maxPerRecord) {
      return { status: 409, slug: 'attachment-limit-reached', reason: `the record has ${usage.count} attachments, the most one may have here; delete one to attach another` };
    }
    const room = maxRecordBytes - usage.bytes;
    if (size === undefined ? room > 0 : size <= room) return null;
    return this.recordFull(usage, size);
  }

  /** What a file for this record may stream in: the smaller of the per-file limit and the room the record has left. */
  cap(usage: RecordUsage): ContentCap {
    const room = this.limits.maxRecordBytes - usage.bytes;
    if (room >= this.limits.maxBytes) return fileCap(this.limits);
    return { maxBytes: room, refusal: (size) => this.recordFull(usage, size) };
  }

  /** Runs a check and the attach it admits with no other for the same record in between. */
  exclusive<T>(recordId: string, work: () => Promise<T>): Promise<T> {
    return this.locks.run(recordId, work);
  }

  private recordFull(usage: RecordUsage, size: number | undefined): Refusal {
    const what = size === undefined ? 'the file is larger than' : `the file is ${size} bytes, more than`;
    return {
      status: 413,
      slug: 'record-attachments-too-large',
      reason: `${what} the ${Math.max(0, this.limits.maxRecordBytes - usage.bytes)} bytes the record has left: its attachments may add up to ${this.limits.maxRecordBytes} bytes here, and take up ${usage.bytes}`,
    };
  }
}
