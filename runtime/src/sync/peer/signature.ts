import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request signing between peers. The Basic credentials prove who is calling;
 * the signature proves the body is the one the peer's record signed, and the
 * timestamp bounds how long a captured request stays usable (ids deduplicate
 * replays inside the window).
 */

export const TIMESTAMP_HEADER = 'X-Lockstep-Timestamp';
export const SIGNATURE_HEADER = 'X-Lockstep-Signature';

/** How far a request's timestamp may be from the receiver's clock, either way. */
export const SIGNATURE_WINDOW_SECONDS = 300;

const VERSION = 'v1';

function mac(secret: string, timestampSeconds: number, body: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest();
}

/** The signature header's value for `body` sent at `timestampSeconds`. */
export function signRequest(secret: string, timestampSeconds: number, body: string): string {
  return `${VERSION}=${mac(secret, timestampSeconds, body).toString('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks a request against every secret of the receiver's record, so that
 * during a rotation both the old and the new secret verify. `rawBody` must be
 * the bytes received, not a re-serialisation of the parsed JSON.
 */
export function verifySignature(
  secrets: readonly string[],
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  rawBody: string | Buffer,
  nowSeconds: number,
  windowSeconds = SIGNATURE_WINDOW_SECONDS,
): SignatureCheck {
  if (!timestampHeader || !signatureHeader) {
    return { ok: false, reason: `the request needs both the ${TIMESTAMP_HEADER} and the ${SIGNATURE_HEADER} header` };
  }
  if (!/^\d{1,12}$/.test(timestampHeader)) {
    return { ok: false, reason: `${TIMESTAMP_HEADER} must be the send time in whole seconds since the Unix epoch` };
  }
  const timestamp = Number(timestampHeader);
  const skew = timestamp - nowSeconds;
  if (skew < -windowSeconds) {
    return { ok: false, reason: `the timestamp is ${-skew} s old, more than the ${windowSeconds} s allowed; sign each request when sending it, and check both clocks` };
  }
  if (skew > windowSeconds) {
    return { ok: false, reason: `the timestamp is ${skew} s in the future, more than the ${windowSeconds} s allowed; check the sender's clock` };
  }
  const [version, hex = ''] = signatureHeader.split('=', 2);
  if (version !== VERSION || !/^[0-9a-f]{64}$/.test(hex)) {
    return { ok: false, reason: `${SIGNATURE_HEADER} must be "${VERSION}=" followed by 64 hex characters` };
  }
  const given = Buffer.from(hex, 'hex');
  // Every secret is tried, so the time taken does not tell which one matched.
  let matched = false;
  for (const secret of secrets) {
    if (timingSafeEqual(given, mac(secret, timestamp, rawBody))) matched = true;
  }
  return matched
    ? { ok: true }
    : { ok: false, reason: 'the signature matches none of the signing secrets of the receiving remote system record; both records must share a secret' };
}
