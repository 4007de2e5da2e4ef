import type { RemoteSystem } from '@lockstep/schema';
import type { Collection, Filter, Sort } from '@lockstep/store';
import { ConfigRecords, type Page } from './config-records.js';
import type { ConnectionSecrets, SealedRemoteSystem } from './connection-secrets.js';
import type { StoredRemoteSystem } from './stored-records.js';

/**
 * The remote system records, whose connection secrets are sealed on the way
 * into the store and opened on the way out: everything above this class
 * (the config API, peers, the queues) sees them in the clear, and the store
 * never does.
 */
export class RemoteSystemRecords extends ConfigRecords<RemoteSystem, StoredRemoteSystem> {
  constructor(
    collection: Collection<SealedRemoteSystem>,
    sort: Sort,
    private readonly secrets: ConnectionSecrets,
  ) {
    super(collection, sort);
  }

  override async get(id: string): Promise<StoredRemoteSystem | null> {
    const stored = await super.get(id);
    return stored && this.secrets.open(stored);
  }

  override async find(filter: Filter, page?: Page): Promise<StoredRemoteSystem[]> {
    return (await super.find(filter, page)).map((stored) => this.secrets.open(stored));
  }

  override async insert(fields: RemoteSystem, actor: string): Promise<StoredRemoteSystem> {
    return this.secrets.open(await super.insert({ ...fields, ...this.secrets.seal(fields.connection, null) }, actor));
  }

  /**
   * A new connection is sealed anew, each secret keeping when it was added.
   * That time is read first; a write of the same record in between could
   * only make a secret's time later, never let one outlive its grace.
   */
  override async update(id: string, fields: Partial<RemoteSystem>, actor: string): Promise<StoredRemoteSystem | null> {
    const sealed = fields.connection === undefined ? {} : this.secrets.seal(fields.connection, await super.get(id));
    const updated = await super.update(id, { ...fields, ...sealed }, actor);
    return updated && this.secrets.open(updated);
  }
}
