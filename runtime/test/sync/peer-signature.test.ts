import { describe, expect, it } from 'vitest';
import { signRequest, verifySignature } from '../../src/sync/peer/signature.js';

const OLD_SECRET = 'o'.repeat(40);
const NEW_SECRET = 'n'.repeat(40);
const NOW = 1_780_000_000;
const BODY = JSON.stringify({ id: 'e1', payload: { 'u_field.with.dots': 1 } });

describe('request signatures', () => {
  it('verifies a body signed with the shared secret', () => {
    const signature = signRequest(OLD_SECRET, NOW, BODY);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifySignature([OLD_SECRET], String(NOW), signature, BODY, NOW)).toEqual({ ok: true });
    expect(verifySignature([OLD_SECRET], String(NOW), signature, Buffer.from(BODY), NOW + 10)).toEqual({ ok: true });
  });

  it('refuses a body changed after signing, even by one byte of whitespace', () => {
    const signature = signRequest(OLD_SECRET, NOW, BODY);
    const check = verifySignature([OLD_SECRET], String(NOW), signature, BODY.replace('1}', '2}'), NOW);
    expect(check).toEqual({ ok: false, reason: expect.stringContaining('matches none of the signing secrets') });
    expect(verifySignature([OLD_SECRET], String(NOW), signature, `${BODY} `, NOW).ok).toBe(false);
  });

  it('refuses a signature made with another secret, or over another timestamp', () => {
    expect(verifySignature([OLD_SECRET], String(NOW), signRequest(NEW_SECRET, NOW, BODY), BODY, NOW).ok).toBe(false);
    expect(verifySignature([OLD_SECRET], String(NOW + 1), signRequest(OLD_SECRET, NOW, BODY), BODY, NOW).ok).toBe(false);
  });

  it('accepts either secret while one is being rotated', () => {
    const rotating = [NEW_SECRET, OLD_SECRET];
    expect(verifySignature(rotating, String(NOW), signRequest(OLD_SECRET, NOW, BODY), BODY, NOW)).toEqual({ ok: true });
    expect(verifySignature(rotating, String(NOW), signRequest(NEW_SECRET, NOW, BODY), BODY, NOW)).toEqual({ ok: true });
  });

  it('refuses timestamps outside the window, either way, and says by how much', () => {
    const stale = NOW - 301;
    expect(verifySignature([OLD_SECRET], String(stale), signRequest(OLD_SECRET, stale, BODY), BODY, NOW)).toEqual({
      ok: false,
      reason: expect.stringContaining('is 301 s old, more than the 300 s allowed'),
    });
    const future = NOW + 301;
    expect(verifySignature([OLD_SECRET], String(future), signRequest(OLD_SECRET, future, BODY), BODY, NOW)).toEqual({
      ok: false,
      reason: expect.stringContaining('301 s in the future'),
    });
    const edge = NOW - 300;
    expect(verifySignature([OLD_SECRET], String(edge), signRequest(OLD_SECRET, edge, BODY), BODY, NOW).ok).toBe(true);
    expect(verifySignature([OLD_SECRET], String(NOW - 20), signRequest(OLD_SECRET, NOW - 20, BODY), BODY, NOW, 10).ok).toBe(false);
  });

  it('names the missing or malformed header', () => {
    const signature = signRequest(OLD_SECRET, NOW, BODY);
    expect(verifySignature([OLD_SECRET], undefined, signature, BODY, NOW)).toEqual({ ok: false, reason: expect.stringContaining('X-Lockstep-Timestamp') });
    expect(verifySignature([OLD_SECRET], String(NOW), undefined, BODY, NOW)).toEqual({ ok: false, reason: expect.stringContaining('X-Lockstep-Signature') });
    expect(verifySignature([OLD_SECRET], '2026-01-01T00:00:00Z', signature, BODY, NOW)).toEqual({ ok: false, reason: expect.stringContaining('whole seconds') });
    expect(verifySignature([OLD_SECRET], String(NOW), signature.replace('v1=', 'v2='), BODY, NOW)).toEqual({ ok: false, reason: expect.stringContaining('"v1="') });
    expect(verifySignature([OLD_SECRET], String(NOW), 'v1=abc', BODY, NOW).ok).toBe(false);
  });
});
