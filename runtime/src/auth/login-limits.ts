import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { KeyedLock } from '../attachments/content/keyed-lock.js';
import { ProblemError } from '../http/problem.js';

/**
 * Bad passwords allowed per minute: for one user name from one client
 * address, and from one address whatever the names. Keying the first by
 * address too means an attacker elsewhere cannot lock a user (or a sync
 * peer, which signs in on every call) out; the second keeps one address from
 * trying many names. Counts live in this process, as the limits need
 * nothing else to hold.
 */
const PER_USER_AT_ADDRESS = { points: 10, duration: 60 };
const PER_ADDRESS = { points: 50, duration: 60 };

function tooMany(spent: RateLimiterRes, whose: string): ProblemError {
  const seconds = Math.max(1, Math.ceil(spent.msBeforeNext / 1000));
  return new ProblemError(429, 'too-many-failed-logins', 'Too many requests', `too many failed sign-ins ${whose}; try again in ${seconds} s`, undefined, {
    'Retry-After': String(seconds),
  });
}

/** Counts failed password checks, and refuses more once a count is used up (429 with Retry-After) until its minute is over. */
export class LoginLimits {
  private readonly byUserAtAddress = new RateLimiterMemory(PER_USER_AT_ADDRESS);
  private readonly byAddress = new RateLimiterMemory(PER_ADDRESS);
  private readonly turns = new KeyedLock();

  /** Throws the 429 once the user name at this address, or the address, has used up its failures. */
  async refuseIfSpent(userName: string, address: string): Promise<void> {
    const [user, client] = await Promise.all([this.byUserAtAddress.get(userKey(userName, address)), this.byAddress.get(address)]);
    if (user && user.consumedPoints >= PER_USER_AT_ADDRESS.points) throw tooMany(user, 'for this user name from this address');
    if (client && client.consumedPoints >= PER_ADDRESS.points) throw tooMany(client, 'from this address');
  }

  /**
   * Runs password checks from one address one at a time: a burst of guesses
   * sent at once is counted one by one, instead of all of them passing
   * `refuseIfSpent` before the first failure is counted.
   */
  inTurn<T>(address: string, check: () => Promise<T>): Promise<T> {
    return this.turns.run(address, check);
  }

  async failed(userName: string, address: string): Promise<void> {
    await Promise.all([this.byUserAtAddress.penalty(userKey(userName, address)), this.byAddress.penalty(address)]);
  }

  /**
   * Clears the user name's failures at this address and no other's: the
   * user signing in elsewhere gives an attacker here no fresh tries. The
   * address's count stays, or an attacker could clear it with an account of
   * their own between guesses.
   */
  async succeeded(userName: string, address: string): Promise<void> {
    await this.byUserAtAddress.delete(userKey(userName, address));
  }
}

const userKey = (userName: string, address: string) => JSON.stringify([userName, address]);
