import { StepError, type StepContext } from '@lockstep/flow';
import { scopeOf } from '../../domains/domain-scope.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { StoredRemoteSystem } from '../config/stored-records.js';

/**
 * The remote system a step sends to or asks, when the run reaches its
 * domain: a remote system of the run's domain or a parent's (the one whose
 * changes it syncs), or of a domain below (an admin's test run). Another
 * customer's is answered as missing: its connection and secrets are that
 * customer's.
 */
export async function remoteSystemForRun(config: SyncConfigStore, id: string, context: StepContext): Promise<StoredRemoteSystem> {
  const remote = await config.remoteSystem(id);
  if (!remote || !scopeOf(context.runAs).reaches(remote.sys_domain)) throw new StepError(`there is no remote system ${id}`);
  return remote;
}
