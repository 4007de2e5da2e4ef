import { createHash, randomBytes } from 'node:crypto';
import type { TokenCreate } from '@lockstep/schema';
import { newId } from '../store/ids.js';
import type { Collection, DocumentStore, StoredDocument } from '../store/port.js';
import { nowDateTime, toDateTime } from '../time.js';

/** API tokens are random secrets shown once; only their SHA-256 is stored. */
export interface StoredToken extends StoredDocument {
  user_id: string;
  name: string;
  token_hash: string;
  /** The first characters, so a user can tell their tokens apart. */
  prefix: string;
  sys_created_on: string;
  expires_on: string | null;
}

export type TokenView = Omit<StoredToken, '_id' | 'token_hash'> & { sys_id: string };

export function toTokenView({ _id, token_hash: _hash, ...rest }: StoredToken): TokenView {
  return { sys_id: _id, ...rest };
}

const TOKEN_PREFIX = 'lst_';
const DAY_MS = 86_400_000;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class TokenStore {
  private readonly tokens: Collection<StoredToken>;

  constructor(store: DocumentStore) {
    this.tokens = store.collection<StoredToken>('sys_api_token');
  }

  async prepare(): Promise<void> {
    await this.tokens.createIndex({ fields: ['token_hash'], unique: true });
    await this.tokens.createIndex({ fields: ['user_id'] });
  }

  /** Returns the secret itself, which is never stored and cannot be shown again. */
  async issue(userId: string, input: TokenCreate): Promise<{ token: string; view: TokenView }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const stored = await this.tokens.insertOne({
      _id: newId(),
      user_id: userId,
      name: input.name,
      token_hash: digest(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      sys_created_on: nowDateTime(),
      expires_on: input.expires_in_days === undefined ? null : toDateTime(new Date(Date.now() + input.expires_in_days * DAY_MS)),
    });
    return { token, view: toTokenView(stored) };
  }

  /** The user id a token stands for, if the token exists and has not expired. */
  async resolve(token: string): Promise<string | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const stored = await this.tokens.findOne({ token_hash: digest(token) });
    if (!stored || (stored.expires_on !== null && stored.expires_on <= nowDateTime())) return null;
    return stored.user_id;
  }

  list(userId: string): Promise<StoredToken[]> {
    return this.tokens.find({ user_id: userId }, { sort: { sys_created_on: 1 } });
  }

  async revoke(userId: string, tokenId: string): Promise<boolean> {
    return (await this.tokens.deleteOne({ _id: tokenId, user_id: userId })) === 1;
  }

  revokeAll(userId: string): Promise<number> {
    return this.tokens.deleteMany({ user_id: userId });
  }
}
