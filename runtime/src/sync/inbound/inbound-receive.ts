import type { SyncEnvelope } from '@lockstep/schema';
import type { Request } from 'express';
import type { Principal } from '../../auth/principal.js';
import { ProblemError } from '../../http/problem.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { InboundAnswer } from '@lockstep/schema';
import { requirePairedRemote, requireSignedFor } from '../peer/peer-caller.js';
import type { InboundQueue } from './inbound-queue.js';

/**
 * Checks one envelope a peer sent and queues it, or throws a ProblemError
 * saying what to fix; every check comes before the queue is written, so a
 * refused envelope leaves nothing behind. `signedFor` holds the remote
 * systems whose secrets the request's signature already passed: an
 * envelope batch is one signed body, checked once per remote system.
 */
export type ReceiveEnvelope = (req: Request, caller: Principal, envelope: SyncEnvelope, signedFor: Set<string>) => Promise<InboundAnswer>;

/** Told of each remote system whose peer's signature a request passed: link health probes a link in error to it at once. */
export type PeerHeard = (remoteSystem: string) => void;

export function envelopeReceiver(config: SyncConfigStore, queue: InboundQueue, instanceName: string, heard: PeerHeard): ReceiveEnvelope {
  return async (req, caller, envelope, signedFor) => {
    const { remote_system: senderId, target_remote_system: targetId, instance } = envelope.source;
    const remote = await requirePairedRemote(config, instanceName, caller, { remote_system: targetId, source_remote_system: senderId, instance });
    if (!signedFor.has(remote._id)) {
      requireSignedFor(req, remote);
      signedFor.add(remote._id);
      heard(remote._id);
    }
    const event = await config.processEventByName(envelope.process_event, remote.process_sync_definition);
    if (!event) {
      throw new ProblemError(422, 'unknown-process-event', 'Unprocessable content', `process sync definition ${remote.process_sync_definition} on ${instanceName} has no process event "${envelope.process_event}"; create one of that name there, since the name is what links the two instances`);
    }
    const queued = await queue.enqueue(envelope, { remoteSystem: remote._id, processEvent: event._id, domain: caller.domain });
    return { id: envelope.id, status: queued.duplicate ? 'duplicate' : 'queued' };
  };
}
