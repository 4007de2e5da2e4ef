import type { ConnectionAlias } from '@lockstep/schema';
import type { StoredRemoteSystem, SyncConfigStore } from '../config/sync-config-store.js';
import type { LinkStates } from './link-states.js';

/** What of a connection the peer checks: where it is, who this side is to it, and what signs. */
function changedParts(before: ConnectionAlias, after: ConnectionAlias): string[] {
  return [
    ...(before.base_url === after.base_url ? [] : ['base URL']),
    ...(before.user_name === after.user_name && before.password === after.password ? [] : ['credentials']),
    ...(before.signing_secrets.join('\n') === after.signing_secrets.join('\n') ? [] : ['signing secrets']),
  ];
}

/**
 * A changed connection has not been validated: each active direction of
 * the remote system goes to error, recorded with what changed, and comes
 * back once the new connection validates (link health's probe, or Validate
 * and Activate when automatic recovery is off). The record as it is now,
 * or null when the connection did not change.
 */
export async function revalidateChangedConnection(states: LinkStates, config: SyncConfigStore, before: StoredRemoteSystem, after: StoredRemoteSystem, actor: string): Promise<StoredRemoteSystem | null> {
  const changed = changedParts(before.connection, after.connection);
  if (changed.length === 0) return null;
  const reason = `${actor} changed the connection's ${changed.join(' and ')}; it is validated again before anything more is sent or applied`;
  for (const direction of ['outbound', 'inbound'] as const) {
    await states.move({ remoteSystem: after._id, direction, from: ['active'], to: 'error', reason });
  }
  return config.remoteSystem(after._id);
}
