import { covers } from '../../domains/domain-tree.js';
import type { Principal } from '../../auth/principal.js';
import type { ResolvedTable } from '../../dictionary/dictionary.js';
import type { RecordStore, StoredRecord } from '../../table/record-store.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';

/**
 * A file attached to a record that an active capture definition syncs with
 * its attachments is a change of that record: it is written as an update
 * that changes no field, so capture sends the record, and the outbound flow
 * offers the new attachment with it, in order with the record's other
 * changes. Attachments received from a peer are not attached this way, so
 * they cause no update and nothing echoes back.
 */
export class AttachmentTrigger {
  constructor(
    private readonly config: Pick<SyncConfigStore, 'captureDefinitionsFor'>,
    private readonly records: RecordStore,
  ) {}

  async attached(table: ResolvedTable, record: StoredRecord, actor: Principal): Promise<void> {
    const definitions = await this.config.captureDefinitionsFor(table.lineage);
    // What capture's own test (applies, in change-capture.ts) asks of this update: a definition without
    // 'update' among its operations would not capture it, and the write would only bump sys_mod_count.
    const captures = definitions.some(
      (definition) => definition.include_attachments && definition.operations.includes('update') && covers(definition.sys_domain, record.sys_domain),
    );
    if (!captures) return;
    await this.records.update(table, record.sys_id, { values: {}, journal: {} }, actor);
  }
}
