import { createHash, randomBytes } from 'node:crypto';
import type { TokenCreate } from '@lockstep/schema';
import { newId, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';
import { nowDateTime, toDateTime } from '../time.js';

/** API tokens are random secrets shown once; only their SHA-256 is stored. */
export interface StoredToken extends StoredDocument {
  user_id: string;
  name: string;
  token_hash: string;
  /** The first characters, so a user can tell their tokens apart. */
  prefix: string;
  sys_created_on: string;
  /** Null on tokens issued before every token had to expire. */
  expires_on: string | null;
}

/** What the API shows of a token: never its hash, and the expiry it really has. */
export type TokenView = Omit<StoredToken, '_id' | 'token_hash'> & { sys_id: string; expires_on: string };

const TOKEN_PREFIX = 'lst_';
const DAY_MS = 86_400_000;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function daysAfter(dateTime: string, days: number): string {
  return toDateTime(new Date(Date.parse(`${dateTime.replace(' ', 'T')}Z`) + days * DAY_MS));
}

export class TokenStore {
  private readonly tokens: Collection<StoredToken>;

  /** `maxDays` (`--token-max-days`) bounds every token, those issued before it was lowered included. */
  constructor(
    store: DocumentStore,
    readonly maxDays: number,
  ) {
    this.tokens = store.collection<StoredToken>('sys_api_token');
  }

  async prepare(): Promise<void> {
    await this.tokens.createIndex({ fields: ['token_hash'], unique: true });
    await this.tokens.createIndex({ fields: ['user_id'] });
  }

  /** Returns the secret itself, which is never stored and cannot be shown again. */
  async issue(userId: string, input: TokenCreate): Promise<{ token: string; view: TokenView }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const now = nowDateTime();
    const stored = await this.tokens.insertOne({
      _id: newId(),
      user_id: userId,
      name: input.name,
      token_hash: digest(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      sys_created_on: now,
      expires_on: daysAfter(now, input.expires_in_days),
    });
    return { token, view: this.view(stored) };
  }

  /** The user id a token stands for, if the token exists and has not expired. */
  async resolve(token: string): Promise<string | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const stored = await this.tokens.findOne({ token_hash: digest(token) });
    if (!stored || this.expiresOn(stored) <= nowDateTime()) return null;
    return stored.user_id;
  }

  async list(userId: string): Promise<TokenView[]> {
    return (await this.tokens.find({ user_id: userId }, { sort: { sys_created_on: 1 } })).map((stored) => this.view(stored));
  }

  async revoke(userId: string, tokenId: string): Promise<boolean> {
    return (await this.tokens.deleteOne({ _id: tokenId, user_id: userId })) === 1;
  }

  revokeAll(userId: string): Promise<number> {
    return this.tokens.deleteMany({ user_id: userId });
  }

  /** The earlier of its own expiry and its creation plus the maximum lifetime. */
  private expiresOn(stored: StoredToken): string {
    const latest = daysAfter(stored.sys_created_on, this.maxDays);
    return stored.expires_on !== null && stored.expires_on < latest ? stored.expires_on : latest;
  }

  private view(stored: StoredToken): TokenView {
    const { _id, token_hash: _hash, ...rest } = stored;
    return { sys_id: _id, ...rest, expires_on: this.expiresOn(stored) };
  }
}
