import { derivedId, DuplicateKeyError, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';
import { nowDateTime } from '../../time.js';

/** That an attachment was offered to a remote system, and in which outbound queue item. */
export interface StoredOffer extends StoredDocument {
  attachment: string;
  remote_system: string;
  /** The outbound queue item whose payload carried it; a retry of that item offers it again. */
  item: string;
  sys_created_on: string;
}

const offerId = (attachment: string, remoteSystem: string) => derivedId('offer', attachment, remoteSystem);

/**
 * Which attachments each remote system has been offered: what lets a sync
 * after the first send only the changes. An offer is recorded with the
 * queue item that makes it, so that when the item is sent again (a retry
 * after its first send failed) its attachments go with it again.
 */
export class AttachmentOffers {
  private readonly offers: Collection<StoredOffer>;

  constructor(store: DocumentStore) {
    this.offers = store.collection<StoredOffer>('sync_attachment_offer');
  }

  async prepare(): Promise<void> {
    await this.offers.createIndex({ fields: ['attachment'] });
  }

  /** The offers of these attachments to the remote system, by attachment. */
  async made(remoteSystem: string, attachments: string[]): Promise<Map<string, StoredOffer>> {
    if (attachments.length === 0) return new Map();
    const found = await this.offers.find({ _id: { $in: attachments.map((attachment) => offerId(attachment, remoteSystem)) } });
    return new Map(found.map((offer) => [offer.attachment, offer]));
  }

  async record(remoteSystem: string, attachments: string[], item: string): Promise<void> {
    for (const attachment of attachments) {
      try {
        await this.offers.insertOne({ _id: offerId(attachment, remoteSystem), attachment, remote_system: remoteSystem, item, sys_created_on: nowDateTime() });
      } catch (error) {
        // Recorded by an earlier attempt of the same item.
        if (!(error instanceof DuplicateKeyError)) throw error;
      }
    }
  }

  /** A deleted attachment is offered nowhere any more. */
  async forget(attachment: string): Promise<void> {
    await this.offers.deleteMany({ attachment });
  }
}
