import type { LinkTransition, RemoteSystemState } from '@lockstep/schema';
import { newId, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';

export type LinkDirection = 'inbound' | 'outbound';

/** One change of a remote system's state, as stored; `at` is epoch ms, so the history sorts by it. */
interface StoredTransition extends StoredDocument {
  remote_system: string;
  direction: LinkDirection;
  from: RemoteSystemState;
  to: RemoteSystemState;
  reason: string;
  at: number;
}

export type NewTransition = Omit<StoredTransition, '_id'>;

/**
 * The link history: every state a remote system's link went through, and
 * why, so an operator can see when the peer was unreachable, for how long,
 * and what brought it back. Written on each transition, read on demand.
 */
export class LinkTransitions {
  private readonly transitions: Collection<StoredTransition>;

  constructor(store: DocumentStore) {
    this.transitions = store.collection<StoredTransition>('sync_link_transition');
  }

  prepare(): Promise<void> {
    return this.transitions.createIndex({ fields: ['remote_system', 'at'], ordered: true });
  }

  async record(transition: NewTransition): Promise<void> {
    await this.transitions.insertOne({ _id: newId(), ...transition });
  }

  /** The latest `limit` transitions of a remote system, newest first. */
  async latest(remoteSystem: string, limit: number): Promise<LinkTransition[]> {
    const found = await this.transitions.find({ remote_system: remoteSystem }, { sort: { at: -1, _id: 1 }, limit });
    return found.map(({ _id, at, ...fields }) => ({ sys_id: _id, ...fields, at: new Date(at).toISOString() }));
  }
}
