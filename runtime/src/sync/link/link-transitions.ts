import type { LinkTransition, RemoteSystemState } from '@lockstep/schema';
import { newId, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';

export type LinkDirection = 'inbound' | 'outbound';

/** The queue item whose failures put the link in error: what an error subflow skips or reprocesses. */
export interface FailedItem {
  queue: LinkDirection;
  id: string;
  correlation_key: string;
  sequence: number;
  error: string;
}

/** Why a direction failed: the last error, and the item it happened to, if one. */
export interface LinkFailure {
  error: string;
  item: FailedItem | null;
}

/** One change of a remote system's state; `at` is epoch ms, so the history sorts by it. */
export interface NewTransition {
  remote_system: string;
  direction: LinkDirection;
  from: RemoteSystemState;
  to: RemoteSystemState;
  reason: string;
  at: number;
  /** On an entry into error: what failed, as the error subflow is given it (kept so a restart can give it the same). */
  failure: LinkFailure | null;
}

/** A transition as stored. */
export type RecordedTransition = NewTransition & StoredDocument;

/**
 * The link history: every state a remote system's link went through, and
 * why, so an operator can see when the peer was unreachable, for how long,
 * and what brought it back. Written on each transition, read on demand.
 */
export class LinkTransitions {
  private readonly transitions: Collection<RecordedTransition>;

  constructor(store: DocumentStore) {
    this.transitions = store.collection<RecordedTransition>('sync_link_transition');
  }

  prepare(): Promise<void> {
    return this.transitions.createIndex({ fields: ['remote_system', 'at'], ordered: true });
  }

  async record(transition: NewTransition): Promise<RecordedTransition> {
    const recorded: RecordedTransition = { _id: newId(), ...transition };
    await this.transitions.insertOne(recorded);
    return recorded;
  }

  /** The latest `limit` transitions of a remote system, newest first. */
  async latest(remoteSystem: string, limit: number): Promise<LinkTransition[]> {
    const found = await this.transitions.find({ remote_system: remoteSystem }, { sort: { at: -1, _id: 1 }, limit });
    return found.map(({ _id, at, failure: _failure, ...fields }) => ({ sys_id: _id, ...fields, at: new Date(at).toISOString() }));
  }

  /** The latest entry of one direction into error, or null when it never entered it. */
  async latestEntryIntoError(remoteSystem: string, direction: LinkDirection): Promise<RecordedTransition | null> {
    const [found] = await this.transitions.find({ remote_system: remoteSystem, direction, to: 'error' }, { sort: { at: -1, _id: 1 }, limit: 1 });
    return found ?? null;
  }

  /** Every transition of a remote system, oldest first, as /metrics sums them: an operator's history, a few per outage. */
  all(remoteSystem: string): Promise<RecordedTransition[]> {
    return this.transitions.find({ remote_system: remoteSystem }, { sort: { at: 1, _id: 1 } });
  }
}
