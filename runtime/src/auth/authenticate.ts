import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import { challengeFor } from '../http/auth-challenge.js';
import { unauthorized } from '../http/problem.js';
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

  async verify(password: string, storedHash: string): Promise<boolean> {
    const key = createHash('sha256').update(storedHash).update('\0').update(password).digest('base64');
    if (this.verified.has(key)) return true;
    const ok = await verifyPassword(password, storedHash);
    if (ok) this.verified.set(key, true);
    return ok;
  }
}

function parseBasic(encoded: string): { userName: string; password: string } | null {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { userName: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Establishes `req.principal` from Basic credentials or a Bearer API token,
 * working in the user's domain or the one below it that the request names.
 * Inactive users and unknown credentials get the same 401, so a caller cannot
 * probe which user names exist.
 */
export function authenticate(users: UserStore, tokens: TokenStore, passwords: PasswordCheckCache): RequestHandler {
  async function userFor(header: string): Promise<StoredUser | null> {
    const [scheme = '', credentials = ''] = header.split(/\s+/, 2);
    if (scheme.toLowerCase() === 'basic') {
      const basic = parseBasic(credentials);
      if (!basic) return null;
      const user = await users.byUserName(basic.userName);
      if (!user?.password_hash) return null;
      return (await passwords.verify(basic.password, user.password_hash)) ? user : null;
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
    const user = await userFor(header);
    if (!user?.active) throw unauthorized(INVALID, challengeFor(req));
    const principal = principalOfUser(user);
    req.principal = { ...principal, domain: workingDomain(req, principal.homeDomain) };
    next();
  };
}
