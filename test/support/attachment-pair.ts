import { attachmentsOf, type ListedAttachment } from './attachment-files.js';
import { until, type PairInstance, type SyncPair } from './sync-pair.js';

/** A record on one side of a pair, as the Attachment API names it. */
export interface RecordRef {
  side: PairInstance;
  table: 'incident' | 'case';
  sysId: string;
}

/** An incident on A and the case the sync made of it on B. */
export async function linkedRecords(pair: SyncPair, label: string): Promise<{ incident: RecordRef; kase: RecordRef }> {
  const { body } = await pair.a.api.call('POST', '/api/now/table/incident', { short_description: label });
  const kase = await until(async () => {
    const found = await pair.b.api.call('GET', `/api/now/table/case?sysparm_query=${encodeURIComponent(`short_description=${label}`)}`);
    return (found.body.result as { sys_id: string }[])[0];
  }, `the provider has the case "${label}"`);
  return { incident: { side: pair.a, table: 'incident', sysId: body.result.sys_id }, kase: { side: pair.b, table: 'case', sysId: kase.sys_id } };
}

/** Waits until the record has attachments of all these names, and returns its attachments. */
export function attachmentsNamed(record: RecordRef, names: string[], timeoutMs = 60_000): Promise<ListedAttachment[]> {
  return until(async () => {
    const listed = await attachmentsOf(record.side, record.table, record.sysId);
    return names.every((name) => listed.some((attachment) => attachment.file_name === name)) ? listed : undefined;
  }, `${record.side.name}'s ${record.table} has ${names.join(', ')}`, timeoutMs);
}
