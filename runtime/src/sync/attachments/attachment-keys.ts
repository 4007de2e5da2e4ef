import { randomBytes } from 'node:crypto';
import { DuplicateKeyError, type DocumentStore, type StoredDocument } from '@lockstep/store';
import { mintKey, openKey, type KeyCheck } from './synthetic-key.js';

interface StoredKeySecret extends StoredDocument {
  /** base64 of 32 random bytes. */
  secret: string;
}

const SECRET_ID = 'synthetic-key';

/**
 * Mints and checks this instance's synthetic keys. The secret is made once
 * per instance and kept in its database, so every runtime process of the
 * instance, and a restarted one, reads the keys it offered.
 */
export class AttachmentKeys {
  private constructor(
    private readonly secret: Buffer,
    private readonly ttlSeconds: number,
  ) {}

  static async open(store: DocumentStore, ttlSeconds: number): Promise<AttachmentKeys> {
    const secrets = store.collection<StoredKeySecret>('sync_attachment_key');
    let stored = await secrets.findOne({ _id: SECRET_ID });
    if (!stored) {
      try {
        stored = await secrets.insertOne({ _id: SECRET_ID, secret: randomBytes(32).toString('base64') });
      } catch (error) {
        // Another process of the instance made it first.
        if (!(error instanceof DuplicateKeyError)) throw error;
        stored = await secrets.findOne({ _id: SECRET_ID });
      }
    }
    if (!stored) throw new Error('the synthetic key secret could not be read back after it was made');
    return new AttachmentKeys(Buffer.from(stored.secret, 'base64'), ttlSeconds);
  }

  mint(attachment: string, remoteSystem: string): string {
    return mintKey(this.secret, { attachment, remoteSystem, expiresAt: Math.floor(Date.now() / 1000) + this.ttlSeconds });
  }

  open(token: string): KeyCheck {
    return openKey(this.secret, token, Math.floor(Date.now() / 1000));
  }
}
