import type { Request } from 'express';
import { requireRole, type Principal } from '../../auth/principal.js';
import { roles } from '../../auth/roles.js';
import { ProblemError } from '../../http/problem.js';
import type { StoredRemoteSystem } from '../config/sync-config-store.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature.js';

/** Only the sync API role (or admin) may call the peer API at all. */
export function requirePeerApiRole(req: Request): Principal {
  return requireRole(req, [roles.processSyncApi], 'The Remote Process Sync API');
}

/**
 * Throws 401 unless the request carries a fresh signature over its raw body
 * by one of the remote system record's signing secrets.
 */
export function requireSignedFor(req: Request, remote: StoredRemoteSystem): void {
  // peerBodyParser keeps the bytes; a route without it is a wiring mistake, not the caller's.
  if (!req.rawBody) throw new Error(`${req.originalUrl} is a peer route but its raw body was not kept; mount peerBodyParser before the API's JSON parser`);
  const check = verifySignature(remote.connection.signing_secrets, req.get(TIMESTAMP_HEADER), req.get(SIGNATURE_HEADER), req.rawBody, Math.floor(Date.now() / 1000));
  if (!check.ok) {
    throw new ProblemError(401, 'bad-signature', 'Signature not valid', `the request's signature is not valid for remote system ${remote.name}: ${check.reason}`, undefined, {
      'WWW-Authenticate': 'Lockstep-Signature realm="lockstep"',
    });
  }
}
