import type { PeerPair } from '@lockstep/schema';
import type { Request } from 'express';
import { requireRole, type Principal } from '../../auth/principal.js';
import { roles } from '../../auth/roles.js';
import { notFound, ProblemError } from '../../http/problem.js';
import type { StoredRemoteSystem, SyncConfigStore } from '../config/sync-config-store.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature.js';

/** Only the sync API role (or admin) may call the peer API at all. */
export function requirePeerApiRole(req: Request): Principal {
  return requireRole(req, [roles.processSyncApi], 'The Remote Process Sync API');
}

/**
 * The receiver's remote system record a peer call is for, once the records
 * pair with each other, the caller is that record's inbound API user and
 * its inbound state is active; else the ProblemError saying what to fix.
 * The signature is checked apart (requireSignedFor): a batch checks it once.
 */
export async function requirePairedRemote(config: SyncConfigStore, instanceName: string, caller: Principal, pair: PeerPair): Promise<StoredRemoteSystem> {
  const { remote_system: targetId, source_remote_system: senderId, instance } = pair;
  const remote = await config.remoteSystem(targetId);
  if (!remote) {
    throw notFound('unknown-remote-system', `${instanceName} has no remote system ${targetId}; on ${instance}, set the external id of remote system ${senderId} to the sys_id of ${instanceName}'s record for it`);
  }
  if (remote.external_id !== senderId) {
    throw new ProblemError(403, 'remote-system-mismatch', 'Forbidden', `remote system ${remote.name} on ${instanceName} pairs with ${remote.external_id}, not with ${senderId}; correct the external id of one of the two records`);
  }
  if (caller.sysId !== remote.inbound_api_user) {
    throw new ProblemError(403, 'not-inbound-api-user', 'Forbidden', `user ${caller.userName} is not the inbound API user of remote system ${remote.name}; the sender's connection must authenticate as that user`);
  }
  if (remote.inbound_state !== 'active') {
    throw new ProblemError(409, 'remote-system-not-active', 'Conflict', `the inbound state of remote system ${remote.name} on ${instanceName} is ${remote.inbound_state}; run Validate and Activate on it (POST /api/lockstep/v1/sync/remote-systems/${remote._id}/activate), then send again`);
  }
  return remote;
}

/**
 * Throws 401 unless the request carries a fresh signature by one of the
 * remote system record's signing secrets over `signed`: the raw body, or
 * for a body too large to sign (attachment content), what stands for it.
 */
export function requireSignedFor(req: Request, remote: StoredRemoteSystem, signed: string | Buffer | undefined = req.rawBody): void {
  // peerBodyParser keeps the bytes; a route without it is a wiring mistake, not the caller's.
  if (!signed) throw new Error(`${req.originalUrl} is a peer route but its raw body was not kept; mount peerBodyParser before the API's JSON parser`);
  const check = verifySignature(remote.connection.signing_secrets, req.get(TIMESTAMP_HEADER), req.get(SIGNATURE_HEADER), signed, Math.floor(Date.now() / 1000));
  if (!check.ok) {
    throw new ProblemError(401, 'bad-signature', 'Signature not valid', `the request's signature is not valid for remote system ${remote.name}: ${check.reason}`, undefined, {
      'WWW-Authenticate': 'Lockstep-Signature realm="lockstep"',
    });
  }
}
