import type { UserStore } from '../auth/user-store.js';
import { runAsUser, type RunAsUser } from '../flows/run-as-user.js';
import type { StoredRemoteSystem } from './config/stored-records.js';

/** The remote system's run-as user, with its roles, in `domain` (else the user's own): whom its outbound, inbound and error subflows act as. */
export function remoteSystemRunAs(users: UserStore, remote: StoredRemoteSystem, domain?: string): Promise<RunAsUser> {
  return runAsUser(users, {
    userId: remote.run_as_user,
    ...(domain !== undefined && { domain }),
    namedBy: `remote system "${remote.name}" (${remote._id})`,
    changeAt: `/api/lockstep/v1/sync/remote-systems/${remote._id}`,
  });
}
