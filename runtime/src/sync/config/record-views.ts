import { createHash } from 'node:crypto';
import type { ConnectionAlias, ConnectionView } from '@lockstep/schema';
import type { StoredConfigRecord, StoredRemoteSystem } from './stored-records.js';

/**
 * Enough of a secret's sha256 to tell two secrets apart, and to check that
 * both instances hold the same one, without revealing it.
 */
export function secretFingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 8);
}

export function connectionView({ base_url, user_name, password, signing_secrets }: ConnectionAlias): ConnectionView {
  return { base_url, user_name, has_password: password.length > 0, signing_secrets: signing_secrets.map((secret) => ({ fingerprint: secretFingerprint(secret) })) };
}

/** A record as the API shows it. */
export type RecordView = { sys_id: string } & Record<string, unknown>;

/** `_id` as `sys_id`, the original's name for it. */
export function recordView({ _id, ...fields }: StoredConfigRecord): RecordView {
  return { sys_id: _id, ...fields };
}

export function remoteSystemView(system: StoredRemoteSystem): RecordView {
  return { ...recordView(system), connection: connectionView(system.connection) };
}
