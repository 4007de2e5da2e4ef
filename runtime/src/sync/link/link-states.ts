import type { RemoteSystemState } from '@lockstep/schema';
import type { Clock } from '../../queue/keyed-work.js';
import type { Collection, DocumentStore, StoredDocument } from '@lockstep/store';
import { nowDateTime } from '../../time.js';
import type { LinkDirection, LinkFailure, LinkTransitions, RecordedTransition } from './link-transitions.js';

/** Who changes a state when the runtime does, as the record's audit fields show it. */
const RUNTIME_ACTOR = 'system';

type RemoteStates = StoredDocument & Record<'inbound_state' | 'outbound_state', RemoteSystemState>;

export interface StateChange {
  remoteSystem: string;
  direction: LinkDirection;
  /** The states it may move from; from any other it stays. */
  from: readonly RemoteSystemState[];
  to: RemoteSystemState;
  reason: string;
  /** What failed, when a failure moves it to error: the error subflow's inputs. */
  failure?: LinkFailure;
}

/** Told of each transition made here, as recorded: link health starts or stops probing on it, and runs the error subflow on an entry into error. */
export type TransitionListener = (transition: RecordedTransition) => void;

/**
 * The one way the runtime changes a remote system's inbound or outbound
 * state: a compare-and-set from the states it may move from, so that two
 * failures, a probe and an admin racing each make one transition at most,
 * and each transition is written to the link history with its reason.
 */
export class LinkStates {
  private readonly remotes: Collection<RemoteStates>;
  private readonly listeners: TransitionListener[] = [];

  constructor(
    store: DocumentStore,
    private readonly history: LinkTransitions,
    private readonly now: Clock = Date.now,
  ) {
    // The states alone are written here, never the sealed connection the config records hold.
    this.remotes = store.collection<RemoteStates>('sync_remote_system');
  }

  onTransition(listener: TransitionListener): void {
    this.listeners.push(listener);
  }

  /** The state it left, or null when it was in none of `from` (or is gone): someone else moved it, or it was there already. */
  async move(change: StateChange): Promise<RemoteSystemState | null> {
    const field = change.direction === 'inbound' ? 'inbound_state' : 'outbound_state';
    const before = await this.remotes.findOneAndUpdate(
      { _id: change.remoteSystem, [field]: { $in: [...change.from.filter((state) => state !== change.to)] } },
      { $set: { [field]: change.to, sys_updated_on: nowDateTime(), sys_updated_by: RUNTIME_ACTOR } },
      { returnDocument: 'before' },
    );
    if (!before) return null;
    const from = before[field];
    const transition = await this.history.record({ remote_system: change.remoteSystem, direction: change.direction, from, to: change.to, reason: change.reason, at: this.now(), failure: change.failure ?? null });
    for (const listener of this.listeners) listener(transition);
    return from;
  }
}
