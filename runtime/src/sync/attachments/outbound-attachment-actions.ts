import { getAttachmentMetadata, implement, type StepContext } from '@lockstep/flow';
import type { AttachmentStore } from '../../attachments/attachment-store.js';
import type { TableDictionary } from '../../dictionary/dictionary.js';
import { recordForRun, tableForRun } from '../../flows/actions/run-table.js';
import type { RecordStore } from '../../table/record-store.js';
import { remoteSystemOf } from '../actions/correlations.js';
import type { AttachmentKeys } from './attachment-keys.js';
import type { AttachmentOffers } from './attachment-offers.js';

export interface GetAttachmentMetadataParts {
  attachments: AttachmentStore;
  offers: AttachmentOffers;
  keys: AttachmentKeys;
  dictionary: TableDictionary;
  records: RecordStore;
}

/** The outbound queue item a run sends, when the queue started it; null in a test run. */
function queueItemOf(context: StepContext): string | null {
  return context.sync?.kind === 'outbound' ? context.sync.item.id : null;
}

/**
 * The originator's first step: the record's attachment metadata, each with
 * a synthetic key for the remote system. With `send: changes` it lists only
 * what this remote system has not been offered (everything, the first time
 * the record syncs); an attachment received from that remote system is
 * never offered back to it. An offer is recorded only for a queue item, so
 * a test run offers nothing for real.
 */
export function getAttachmentMetadataImplementation({ attachments, offers, keys, dictionary, records }: GetAttachmentMetadataParts) {
  return implement(getAttachmentMetadata, async (params, context) => {
    const remoteSystem = remoteSystemOf(params.remoteSystem, context);
    const table = tableForRun(dictionary, params.table, context.runAs, 'read');
    // As the Attachment API: a record outside the run's domain shows none of its files. One deleted since its change was captured is listed as before.
    await recordForRun(records, table, params.sys_id, context.runAs);
    const candidates = (await attachments.ofRecord(table.name, params.sys_id)).filter((attachment) => attachment.received_from !== remoteSystem);
    const item = queueItemOf(context);
    const made = await offers.made(remoteSystem, candidates.map((attachment) => attachment._id));
    // A retry of the item that offered an attachment offers it again: its first send may not have arrived.
    const notYetOffered = (id: string) => {
      const offer = made.get(id);
      return offer === undefined || offer.item === item;
    };
    const chosen = params.send === 'all' ? candidates : candidates.filter((attachment) => notYetOffered(attachment._id));
    if (item !== null) await offers.record(remoteSystem, chosen.filter((attachment) => !made.has(attachment._id)).map((attachment) => attachment._id), item);
    const metadata = chosen.map((attachment) => ({
      key: keys.mint(attachment._id, remoteSystem),
      sha256: attachment.hash,
      file_name: attachment.file_name,
      content_type: attachment.content_type,
      size: attachment.size_bytes,
    }));
    return { kind: 'done', output: { attachments: metadata } };
  });
}
