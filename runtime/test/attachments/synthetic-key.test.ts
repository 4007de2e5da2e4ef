import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mintKey, openKey } from '../../src/sync/attachments/synthetic-key.js';

const secret = randomBytes(32);
const scope = { attachment: 'a'.repeat(32), remoteSystem: 'b'.repeat(32), expiresAt: 2_000_000_000 };
const now = scope.expiresAt - 60;

/** The token with one character of its sealed part changed. */
function altered(token: string, at: number): string {
  const index = 'v1.'.length + at;
  const replacement = token[index] === 'A' ? 'B' : 'A';
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
}

describe('the synthetic attachment key', () => {
  it('gives back the attachment, remote system and expiry it was made for, and differs each time it is made', () => {
    const key = mintKey(secret, scope);
    expect(openKey(secret, key, now)).toEqual({ ok: true, scope });
    expect(mintKey(secret, scope)).not.toBe(key);
    // Nothing of the scope shows in the token.
    expect(key).not.toContain(scope.attachment);
  });

  it('refuses a key with any byte changed: in its nonce, its sealed claims or its tag', () => {
    const key = mintKey(secret, scope);
    for (const at of [0, 20, key.length - 'v1.'.length - 2]) {
      const check = openKey(secret, altered(key, at), now);
      expect(check).toMatchObject({ ok: false });
      expect(check.ok ? '' : check.reason).toContain('altered');
    }
  });

  it('refuses a key made with another secret, one of another version, and text that is no key', () => {
    expect(openKey(secret, mintKey(randomBytes(32), scope), now)).toMatchObject({ ok: false, reason: expect.stringContaining('did not issue it') });
    expect(openKey(secret, mintKey(secret, scope).replace(/^v1\./, 'v2.'), now)).toMatchObject({ ok: false, reason: expect.stringContaining('not a synthetic key') });
    expect(openKey(secret, 'v1.', now)).toMatchObject({ ok: false });
    expect(openKey(secret, 'not a key at all', now)).toMatchObject({ ok: false });
  });

  it('refuses a key from the second it expires, saying when that was', () => {
    const key = mintKey(secret, scope);
    expect(openKey(secret, key, scope.expiresAt - 1)).toMatchObject({ ok: true });
    const expired = openKey(secret, key, scope.expiresAt);
    expect(expired).toMatchObject({ ok: false, reason: expect.stringContaining(`expired at ${new Date(scope.expiresAt * 1000).toISOString()}`) });
  });
});
