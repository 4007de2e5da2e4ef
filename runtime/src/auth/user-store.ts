import type { UserCreate, UserUpdate } from '@lockstep/schema';
import type { DomainScope } from '../domains/domain-scope.js';
import { newId, ReadCache, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';
import { nowDateTime } from '../time.js';
import { hashPassword } from './passwords.js';
import type { Principal } from './principal.js';

export interface StoredUser extends StoredDocument {
  user_name: string;
  name: string;
  email: string;
  roles: string[];
  sys_domain: string;
  active: boolean;
  /** Null for a user that may authenticate only with an API token. */
  password_hash: string | null;
  sys_created_on: string;
  sys_updated_on: string;
}

/** A user to create: its domain is settled by then (the caller's, when the body named none). */
export type NewUser = UserCreate & { sys_domain: string };

/** What the API shows of a user: never the password hash. */
export type UserView = Omit<StoredUser, '_id' | 'password_hash'> & { sys_id: string; has_password: boolean };

/** Who a stored user is, for authorisation and for the records they write. */
export function principalOfUser(user: StoredUser): Principal {
  return { sysId: user._id, userName: user.user_name, roles: user.roles, domain: user.sys_domain, homeDomain: user.sys_domain };
}

export function toUserView({ _id, password_hash, ...rest }: StoredUser): UserView {
  return { sys_id: _id, ...rest, has_password: password_hash !== null };
}

const USERS_COLLECTION = 'sys_user';

export class UserStore {
  private readonly users: Collection<StoredUser>;
  /**
   * Every Table API call reads its user, and every sync run its run-as user:
   * held until the users are written. Only while this process writes its
   * store alone (always, on the embedded store): where another process
   * shares the database it may deactivate a user, so there each look-up
   * reads (an age of 0).
   */
  private readonly lookups: ReadCache;

  constructor(store: DocumentStore) {
    this.users = store.collection<StoredUser>(USERS_COLLECTION);
    this.lookups = new ReadCache(store, 0);
  }

  async prepare(): Promise<void> {
    await this.users.createIndex({ fields: ['user_name'], unique: true });
  }

  async create(input: NewUser): Promise<StoredUser> {
    const now = nowDateTime();
    const { password, ...fields } = input;
    return this.users.insertOne({
      _id: newId(),
      ...fields,
      password_hash: password === undefined ? null : await hashPassword(password),
      sys_created_on: now,
      sys_updated_on: now,
    });
  }

  async update(sysId: string, input: UserUpdate): Promise<StoredUser | null> {
    const { password, ...fields } = input;
    const set: Partial<StoredUser> = { ...fields, sys_updated_on: nowDateTime() };
    if (password !== undefined) set.password_hash = password === null ? null : await hashPassword(password);
    return this.users.findOneAndUpdate({ _id: sysId }, { $set: set });
  }

  /** Shared with other callers: not to be changed. */
  byId(sysId: string): Promise<StoredUser | null> {
    return this.lookups.read(`id:${sysId}`, [USERS_COLLECTION], () => this.users.findOne({ _id: sysId }));
  }

  /** The user, if `scope` sees it; one outside looks exactly like one that does not exist. */
  byIdIn(scope: DomainScope, sysId: string): Promise<StoredUser | null> {
    return this.users.findOne(scope.visible({ _id: sysId }));
  }

  /** Shared with other callers: not to be changed. */
  byUserName(userName: string): Promise<StoredUser | null> {
    return this.lookups.read(`name:${userName}`, [USERS_COLLECTION], () => this.users.findOne({ user_name: userName }));
  }

  list(scope: DomainScope): Promise<StoredUser[]> {
    return this.users.find(scope.visible(), { sort: { user_name: 1 } });
  }

  count(): Promise<number> {
    return this.users.countDocuments({});
  }

  async delete(sysId: string): Promise<boolean> {
    return (await this.users.deleteOne({ _id: sysId })) === 1;
  }
}
