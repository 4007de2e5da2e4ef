import type { AttachmentFile, AttachmentReceipt } from '@lockstep/schema';
import { contentRefusal, nameRefusal, sizeRefusal, type AttachmentLimits } from '../../attachments/attachment-limits.js';
import { CORRELATION_TABLE, type AttachmentStore } from '../../attachments/attachment-store.js';
import { sniffedOf } from '../../attachments/content/attachment-content.js';
import type { RecordQuota } from '../../attachments/record-quota.js';
import { derivedId } from '@lockstep/store';
import type { StoredRemoteSystem } from '../config/sync-config-store.js';
import type { StoredCorrelation } from '../correlation/correlation-store.js';

/** The same file completed twice on one correlation record (a retried request) is staged once. */
const stagedId = (correlation: string, file: AttachmentFile) => derivedId('staged', correlation, file.sha256, file.file_name);

/**
 * The receiver's side of a completion: each attachment the originator says
 * is complete is checked as an upload here would be (its extension, size
 * and content against this instance's limits, the record's room for one
 * more, and its content must have arrived), then staged on the correlation
 * record until Move attachments takes it to the target record.
 */
export class AttachmentReceiver {
  constructor(
    private readonly attachments: AttachmentStore,
    private readonly limits: AttachmentLimits,
    private readonly quota: RecordQuota,
  ) {}

  async complete(remote: StoredRemoteSystem, correlation: StoredCorrelation, files: AttachmentFile[], by: string): Promise<AttachmentReceipt[]> {
    const receipts: AttachmentReceipt[] = [];
    for (const file of files) receipts.push(await this.stage(remote, correlation, file, by));
    return receipts;
  }

  private async stage(remote: StoredRemoteSystem, correlation: StoredCorrelation, file: AttachmentFile, by: string): Promise<AttachmentReceipt> {
    const refused = (reason: string): AttachmentReceipt => ({ sha256: file.sha256, file_name: file.file_name, status: 'refused', reason });
    const sysId = stagedId(correlation._id, file);
    const staged = { sha256: file.sha256, file_name: file.file_name, status: 'staged', reason: null } as const;
    // A retried completion: checked and counted already, when it was staged.
    if (await this.attachments.get(sysId)) return staged;
    const content = await this.attachments.content.info(file.sha256);
    if (!content) return refused('its content has not arrived here; push it before completing it');
    // The files staged on the correlation record count as its record's until they are moved there.
    const record = [correlation.local_record, correlation._id];
    return this.quota.exclusive(correlation.local_record, async () => {
      const refusal =
        content.size !== file.size
          ? `its content is ${content.size} bytes, not the ${file.size} completed`
          : (
              nameRefusal(file.file_name, this.limits) ??
              sizeRefusal(file.size, this.limits) ??
              contentRefusal({ fileName: file.file_name, contentType: file.content_type }, sniffedOf(content)) ??
              this.quota.refusal(await this.quota.usage(record), file.size)
            )?.reason;
      if (refusal !== undefined) {
        await this.attachments.release(file.sha256);
        return refused(refusal);
      }
      const linked = await this.attachments.link(file.sha256, {
        tableName: CORRELATION_TABLE,
        tableSysId: correlation._id,
        fileName: file.file_name,
        contentType: file.content_type,
        domain: correlation.sys_domain,
        createdBy: by,
        receivedFrom: remote._id,
        sysId,
      });
      return linked ? staged : refused('its content was removed here before it could be attached; request it again');
    });
  }
}
