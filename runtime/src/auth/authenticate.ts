import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import { challengeFor } from '../http/auth-challenge.js';
import { unauthorized } from '../http/problem.js';
import { clientAddress } from './client-address.js';
import { PasswordLogin } from './password-login.js';
import { verifyPassword } from './passwords.js';
import type { TokenStore } from './token-store.js';
import { principalOfUser, type StoredUser, type UserStore } from './user-store.js';
import { workingDomain } from './working-domain.js';

const INVALID = 'the user name and password, or the API token, are not valid';

/**
 * scrypt is deliberately slow, and sync peers authenticate on every call, so a
 * verified (stored hash, password) pair is remembered. The key includes the
 * stored hash: a password change misses the cache, with nothing to invalidate.
 */
export class PasswordCheckCache {
  private readonly verified = new LRUCache<string, true>({ max: 10_000, ttl: 10 * 60_000 });

  /** Whether this pair was verified lately: no scrypt needed. */
  remembers(password: string, storedHash: string): boolean {
    return this.verified.has(cacheKey(password, storedHash));
  }

  async verify(password: string, storedHash: string): Promise<boolean> {
    if (this.remembers(password, storedHash)) return true;
    const ok = await verifyPassword(password, storedHash);
    if (ok) this.verified.set(cacheKey(password, storedHash), true);
    return ok;
  }
}

const cacheKey = (password: string, storedHash: string) => createHash('sha256').update(storedHash).update('\0').update(password).digest('base64');

function parseBasic(encoded: string): { userName: string; password: string } | null {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { userName: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Establishes `req.principal` from Basic credentials or a Bearer API token,
 * working in the user's domain or the one below it that the request names.
 * Inactive users and unknown credentials get the same 401, after the same
 * work (PasswordLogin), so a caller cannot probe which user names exist;
 * failed passwords are limited per user name and client address.
 */
export function authenticate(users: UserStore, tokens: TokenStore, passwords: PasswordCheckCache): RequestHandler {
  const logins = new PasswordLogin(users, passwords);

  async function userFor(header: string, address: string): Promise<StoredUser | null> {
    const [scheme = '', credentials = ''] = header.split(/\s+/, 2);
    if (scheme.toLowerCase() === 'basic') {
      const basic = parseBasic(credentials);
      return basic ? logins.userFor(basic.userName, basic.password, address) : null;
    }
    if (scheme.toLowerCase() === 'bearer') {
      const userId = await tokens.resolve(credentials);
      return userId === null ? null : users.byId(userId);
    }
    return null;
  }

  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) throw unauthorized('send Basic credentials or an API token as "Authorization: Bearer <token>"', challengeFor(req));
    const user = await userFor(header, clientAddress(req.ip));
    if (!user?.active) throw unauthorized(INVALID, challengeFor(req));
    const principal = principalOfUser(user);
    req.principal = { ...principal, domain: workingDomain(req, principal.homeDomain) };
    next();
  };
}
