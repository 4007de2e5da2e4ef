import type { Router } from 'express';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config.js';
import type { TableDictionary } from '../dictionary/dictionary.js';
import { OutboundGuard } from '../net/outbound-guard.js';
import type { DocumentStore } from '@lockstep/store';
import { AttachmentKeys } from '../sync/attachments/attachment-keys.js';
import { AttachmentOffers } from '../sync/attachments/attachment-offers.js';
import { AttachmentPeer } from '../sync/attachments/attachment-peer.js';
import { attachmentPeerRoutes } from '../sync/attachments/attachment-peer-routes.js';
import { AttachmentReceiver } from '../sync/attachments/attachment-receiver.js';
import { AttachmentTransfer } from '../sync/attachments/attachment-transfer.js';
import { AttachmentTrigger } from '../sync/attachments/attachment-trigger.js';
import { attachmentImplementations, type AttachmentImplementations } from '../sync/attachments/attachment-actions.js';
import { PendingContentSweep } from '../sync/attachments/pending-content-sweep.js';
import type { SyncConfigStore } from '../sync/config/sync-config-store.js';
import type { CorrelationStore } from '../sync/correlation/correlation-store.js';
import { PeerClient } from '../sync/peer/peer-client.js';
import type { RecordStore } from '../table/record-store.js';
import { AttachmentAccess } from './attachment-access.js';
import { attachmentRoutes } from './attachment-routes.js';
import { AttachmentStore } from './attachment-store.js';
import { AttachmentContent } from './content/attachment-content.js';
import { openBlobStore } from './content/open-blob-store.js';
import { RecordQuota } from './record-quota.js';

/**
 * How long one call of the exchange may take: a request waits while the
 * originator pushes every file it asks for. The Request attachments step's
 * own timeout is the same.
 */
const TRANSFER_TIMEOUT_MS = 600_000;

export interface AttachmentServiceParts {
  config: RuntimeConfig;
  store: DocumentStore;
  dictionary: TableDictionary;
  records: RecordStore;
  syncConfig: SyncConfigStore;
  correlations: CorrelationStore;
  logger: Logger;
  /** The base URL of download links; see AttachmentApiParts. */
  publicUrl: () => string;
}

/** Attachments, wired: the flow actions for the engine, the routers for the server, and the content store to close last. */
export interface AttachmentServices {
  actions: AttachmentImplementations;
  /** `/api/now/attachment`, for users. */
  api: Router;
  /** `/api/sync/v1/attachments`, for peers. */
  peerApi: Router;
  /** Stops the sweep of pending content, then closes the content store. */
  close(): Promise<void>;
}

export async function openAttachmentServices(parts: AttachmentServiceParts): Promise<AttachmentServices> {
  const { config, store, dictionary, records, syncConfig, correlations } = parts;
  const content = new AttachmentContent(store, await openBlobStore(config));
  try {
    const attachments = new AttachmentStore(store, content);
    records.onCreated((table, sysId) => attachments.created(table.name, sysId));
    const offers = new AttachmentOffers(store);
    await Promise.all([attachments.prepare(), offers.prepare()]);
    const keys = await AttachmentKeys.open(store, config.attachmentKeyTtlSeconds);
    const limits = {
      maxBytes: config.attachmentMaxBytes,
      extensions: new Set(config.attachmentExtensions),
      maxPerRecord: config.attachmentMaxPerRecord,
      maxRecordBytes: config.attachmentMaxRecordBytes,
    };
    const quota = new RecordQuota(attachments, limits);
    const peer = new AttachmentPeer(new PeerClient({ timeoutMs: TRANSFER_TIMEOUT_MS, outbound: new OutboundGuard(config.outboundAllow) }), config.instanceName);
    const logger = parts.logger.child({ component: 'attachments' });
    const sweep = new PendingContentSweep(attachments, config.attachmentPendingTtlSeconds, logger);
    sweep.start();
    return {
      actions: attachmentImplementations({ attachments, offers, keys, correlations, config: syncConfig, peer, dictionary, records }),
      api: attachmentRoutes({
        attachments,
        access: new AttachmentAccess(dictionary, records, attachments),
        limits,
        quota,
        trigger: new AttachmentTrigger(syncConfig, records),
        offers,
        publicUrl: parts.publicUrl,
      }),
      peerApi: attachmentPeerRoutes({
        config: syncConfig,
        correlations,
        attachments,
        limits,
        transfer: new AttachmentTransfer({ attachments, keys, peer, logger }),
        receiver: new AttachmentReceiver(attachments, limits, quota),
        instanceName: config.instanceName,
      }),
      close: async () => {
        await sweep.stop();
        await content.close();
      },
    };
  } catch (error) {
    await content.close();
    throw error;
  }
}
