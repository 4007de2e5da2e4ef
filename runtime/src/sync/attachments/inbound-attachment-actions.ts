import { ATTACHMENT_BATCH_LIMIT, type AttachmentRequestAnswer } from '@lockstep/schema';
import { identifyNewAttachments, implement, moveAttachments, requestAttachments, StepError, type StepContext } from '@lockstep/flow';
import { CORRELATION_TABLE, type AttachmentStore } from '../../attachments/attachment-store.js';
import type { TableDictionary } from '../../dictionary/dictionary.js';
import { recordForRun, tableForRun } from '../../flows/actions/run-table.js';
import type { RecordStore } from '../../table/record-store.js';
import { correlationForRun } from '../actions/correlations.js';
import { remoteSystemForRun } from '../actions/run-remote-system.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { CorrelationStore, StoredCorrelation } from '../correlation/correlation-store.js';
import type { AttachmentPeer } from './attachment-peer.js';

export interface InboundAttachmentParts {
  attachments: AttachmentStore;
  correlations: CorrelationStore;
  config: SyncConfigStore;
  peer: AttachmentPeer;
  dictionary: TableDictionary;
  records: RecordStore;
}

/** What the receiver compares attachments by, as the original does: the content's hash and the file name. */
const sameFile = (sha256: string, fileName: string) => `${sha256}\u0000${fileName}`;

/** The correlation a step names, in the run's domain: the files waiting on it are that domain's. */
async function correlationOf(correlations: CorrelationStore, sysId: string, context: StepContext): Promise<StoredCorrelation> {
  const correlation = correlationForRun(await correlations.get(sysId), context);
  if (!correlation) throw new StepError(`there is no correlation ${sysId}; give the correlation record's sys_id`);
  return correlation;
}

/**
 * The receiver's steps: find which offered attachments the record lacks,
 * ask the originator for them (it pushes them to the correlation record and
 * completes them while the step waits), and move what arrived to the record.
 */
export function inboundAttachmentImplementations({ attachments, correlations, config, peer, dictionary, records }: InboundAttachmentParts) {
  const identify = implement(identifyNewAttachments, async (params, context) => {
    const table = tableForRun(dictionary, params.table, context.runAs, 'read');
    await recordForRun(records, table, params.sys_id, context.runAs);
    const here = new Set((await attachments.ofRecord(table.name, params.sys_id)).map((attachment) => sameFile(attachment.hash, attachment.file_name)));
    const missing = params.attachments.filter((offered) => {
      const file = sameFile(offered.sha256, offered.file_name);
      if (here.has(file)) return false;
      here.add(file);
      return true;
    });
    return { kind: 'done', output: { missing } };
  });

  const request = implement(requestAttachments, async (params, context) => {
    if (params.attachments.length === 0) return { kind: 'done', output: { requested: 0, received: 0, refused: [] } };
    const correlation = await correlationOf(correlations, params.correlation, context);
    const remote = await remoteSystemForRun(config, params.remoteSystem ?? correlation.remote_system, context);
    if (remote._id !== correlation.remote_system) throw new StepError(`correlation ${correlation._id} is with remote system ${correlation.remote_system}, which is where its attachments are requested from`);
    // Content held here already (a renamed file, one attached elsewhere) is not sent again: only its metadata comes.
    const held = await attachments.content.held(params.attachments.map((offered) => offered.sha256));
    const items = params.attachments.map((offered) => ({ key: offered.key, need_content: !held.has(offered.sha256) }));
    const answers: AttachmentRequestAnswer[] = [];
    for (let start = 0; start < items.length; start += ATTACHMENT_BATCH_LIMIT) {
      const answer = await peer.request(remote, correlation._id, items.slice(start, start + ATTACHMENT_BATCH_LIMIT), context.signal);
      if (answer.outcome === 'unavailable') throw new StepError(answer.message, 'peer_unavailable');
      if (answer.outcome === 'rejected') throw new StepError(answer.message, answer.fault === 'data' ? 'peer_rejected_data' : 'peer_connection');
      answers.push(answer.result);
    }
    const receipts = answers.flatMap((answer) => answer.receipts);
    const nameOfKey = new Map(params.attachments.map((offered) => [offered.key, offered.file_name]));
    const refused = [
      ...receipts.filter((receipt) => receipt.status === 'refused').map((receipt) => ({ file_name: receipt.file_name, reason: receipt.reason ?? 'refused' })),
      ...answers.flatMap((answer) => answer.gone).map((key) => ({ file_name: nameOfKey.get(key) ?? key, reason: 'it was deleted on the remote system before it could be sent' })),
    ];
    if (refused.length > 0) context.log('warn', 'some requested attachments did not arrive', { refused });
    const received = receipts.filter((receipt) => receipt.status === 'staged').length;
    return { kind: 'done', output: { requested: items.length, received, refused } };
  });

  const move = implement(moveAttachments, async (params, context) => {
    const correlation = await correlationOf(correlations, params.correlation, context);
    const table = tableForRun(dictionary, params.table, context.runAs, 'write');
    const record = await recordForRun(records, table, params.sys_id, context.runAs);
    if (!record) throw new StepError(`there is no ${table.name} record with sys_id ${params.sys_id}`);
    const here = new Set((await attachments.ofRecord(record.sys_class_name, record.sys_id)).map((attachment) => sameFile(attachment.hash, attachment.file_name)));
    let moved = 0;
    for (const staged of await attachments.ofRecord(CORRELATION_TABLE, correlation._id)) {
      const file = sameFile(staged.hash, staged.file_name);
      // A copy of a file the record has already (two runs raced): the record keeps its own.
      if (here.has(file)) {
        await attachments.delete(staged);
        continue;
      }
      here.add(file);
      if (await attachments.moveTo(staged, { tableName: record.sys_class_name, sysId: record.sys_id, domain: record.sys_domain, by: context.runAs.userName })) moved += 1;
    }
    return { kind: 'done', output: { moved } };
  });

  return [identify, request, move];
}
