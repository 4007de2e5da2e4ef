import { remoteTaskAdmissionSchema, remoteTaskCatalogEntrySchema, type RemoteTaskCatalogEntry } from '@lockstep/schema';
import { z } from 'zod';
import { ProblemError } from '../http/problem.js';
import type { StoredRemoteSystem } from '../sync/config/sync-config-store.js';
import type { PeerClient, PeerCallResult } from '../sync/peer/peer-client.js';

const PROBLEM_PREFIX = 'urn:lockstep:problem:';

/** A provider's refusal as this instance's own answer: its status and reason, with whom it came from. */
function answered<T>(remote: StoredRemoteSystem, result: PeerCallResult<T>): T {
  if (result.outcome === 'accepted') return result.result;
  if (result.outcome === 'unavailable') throw new ProblemError(503, 'provider-unavailable', 'Service unavailable', `the provider behind remote system ${remote.name} did not answer: ${result.message}`);
  const relayed = result.status === 403 || result.status === 409 || result.status === 404;
  const slug = result.problem?.type?.startsWith(PROBLEM_PREFIX) ? result.problem.type.slice(PROBLEM_PREFIX.length) : 'provider-refused';
  const detail = relayed && result.problem ? `the provider behind remote system ${remote.name} refused: ${result.problem.detail}` : result.message;
  throw new ProblemError(relayed ? result.status! : 502, slug, relayed ? (result.status === 403 ? 'Forbidden' : result.status === 404 ? 'Not found' : 'Conflict') : 'Bad gateway', detail);
}

/** The consumer's calls to a provider about remote tasks, through the remote system that links them. */
export class ProviderClient {
  constructor(
    private readonly peers: PeerClient,
    private readonly instanceName: string,
  ) {}

  private pair(remote: StoredRemoteSystem) {
    if (remote.external_id === null) throw new ProblemError(409, 'remote-system-not-paired', 'Conflict', `remote system ${remote.name} has no external id; pair it with the provider and run Validate and Activate first`);
    return { remote_system: remote.external_id, source_remote_system: remote._id, instance: this.instanceName };
  }

  async catalog(remote: StoredRemoteSystem): Promise<RemoteTaskCatalogEntry[]> {
    return answered(remote, await this.peers.remoteTaskCall(remote, 'remote-tasks/catalog', this.pair(remote), z.array(remoteTaskCatalogEntrySchema)));
  }

  /** Pulls a revision to activate (the latest published when none is named); the provider makes its half of the configuration. */
  async revision(remote: StoredRemoteSystem, definition: string, revision?: number): Promise<RemoteTaskCatalogEntry> {
    const body = { ...this.pair(remote), definition, ...(revision === undefined ? {} : { revision }) };
    return answered(remote, await this.peers.remoteTaskCall(remote, 'remote-tasks/revision', body, remoteTaskCatalogEntrySchema));
  }

  /** Throws the provider's refusal (not entitled, definition inactive…) unless it takes a new task on this revision. */
  async admit(remote: StoredRemoteSystem, definition: string, revision: number): Promise<void> {
    answered(remote, await this.peers.remoteTaskCall(remote, 'remote-tasks/admission', { ...this.pair(remote), definition, revision }, remoteTaskAdmissionSchema));
  }
}
