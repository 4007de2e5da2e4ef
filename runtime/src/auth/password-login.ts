import { randomBytes } from 'node:crypto';
import type { PasswordCheckCache } from './authenticate.js';
import { LoginLimits } from './login-limits.js';
import { hashPassword } from './passwords.js';
import type { StoredUser, UserStore } from './user-store.js';

/**
 * Basic credentials to a user, within the failed-login limits. An unknown
 * user name (or a user with no password) costs the same scrypt as a wrong
 * password does, against a hash of a password nobody knows, so the time an
 * answer takes does not tell which user names exist.
 */
export class PasswordLogin {
  private readonly limits = new LoginLimits();
  private readonly dummyHash = hashPassword(randomBytes(18).toString('base64url'));

  constructor(
    private readonly users: UserStore,
    private readonly passwords: PasswordCheckCache,
  ) {
    // Awaited at the first unknown user name; until then a failure must not go unhandled.
    this.dummyHash.catch(() => undefined);
  }

  /** The user these credentials are right for, else null; throws 429 while the user name or `address` is over its limit. */
  async userFor(userName: string, password: string, address: string): Promise<StoredUser | null> {
    await this.limits.refuseIfSpent(userName, address);
    const user = await this.users.byUserName(userName);
    const stored = user?.password_hash ?? null;
    const succeeded = async () => {
      await this.limits.succeeded(userName, address);
      return user;
    };
    // A password verified before (a sync peer signs in on every call) takes no turn and no scrypt.
    if (stored !== null && this.passwords.remembers(password, stored)) return succeeded();
    return this.limits.inTurn(address, async () => {
      await this.limits.refuseIfSpent(userName, address);
      const right = await this.passwords.verify(password, stored ?? (await this.dummyHash));
      if (stored !== null && right) return succeeded();
      await this.limits.failed(userName, address);
      return null;
    });
  }
}
