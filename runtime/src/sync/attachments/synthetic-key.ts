import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { idPattern } from '@lockstep/store';

/**
 * The synthetic key that travels with an attachment's metadata: an
 * AES-256-GCM token, readable and checkable only by the instance that made
 * it, naming one attachment, the one remote system it was offered to, and
 * when it expires. A receiver hands it back to ask for that attachment; it
 * cannot make one for another attachment or change one, since that breaks
 * the GCM tag.
 */

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Bound into the tag, so a token made for another purpose with the same secret would not pass. */
const PURPOSE = Buffer.from('lockstep attachment key v1');

export interface KeyScope {
  attachment: string;
  remoteSystem: string;
  /** Epoch seconds. */
  expiresAt: number;
}

const claimsSchema = z.strictObject({ a: z.string().regex(idPattern), r: z.string().regex(idPattern), e: z.number().int() });

export function mintKey(secret: Buffer, scope: KeyScope): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(PURPOSE);
  const claims = JSON.stringify({ a: scope.attachment, r: scope.remoteSystem, e: scope.expiresAt });
  const sealed = Buffer.concat([cipher.update(claims, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url')}`;
}

export type KeyCheck = { ok: true; scope: KeyScope } | { ok: false; reason: string };

const refused = (reason: string): KeyCheck => ({ ok: false, reason });

/** The key's scope if this secret made it, it is unaltered and it has not expired. */
export function openKey(secret: Buffer, token: string, nowSeconds: number): KeyCheck {
  const [version, data = ''] = token.split('.', 2);
  const raw = Buffer.from(data, 'base64url');
  if (version !== VERSION || raw.length <= IV_BYTES + TAG_BYTES) return refused('it is not a synthetic key this instance issues');
  let claims: unknown;
  try {
    const decipher = createDecipheriv(ALGORITHM, secret, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(PURPOSE);
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    claims = JSON.parse(plain.toString('utf8'));
  } catch {
    return refused('it was altered, or this instance did not issue it');
  }
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return refused('it was altered, or this instance did not issue it');
  const { a: attachment, r: remoteSystem, e: expiresAt } = parsed.data;
  if (expiresAt <= nowSeconds) return refused(`it expired at ${new Date(expiresAt * 1000).toISOString()}; keys last as long as the originator's --attachment-key-ttl, and a Get attachment metadata step set to send all offers the attachment again with a new one`);
  return { ok: true, scope: { attachment, remoteSystem, expiresAt } };
}
