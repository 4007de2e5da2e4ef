import type { RemoteSystemState } from '@lockstep/schema';
import { roles } from '../../auth/roles.js';
import type { UserStore } from '../../auth/user-store.js';
import { DomainScope } from '../../domains/domain-scope.js';
import { notFound } from '../../http/problem.js';
import type { StoredRemoteSystem, SyncConfigStore } from '../config/sync-config-store.js';
import type { LinkStates } from '../link/link-states.js';
import type { PeerClient } from './peer-client.js';

export interface ActivationServices {
  instanceName: string;
  config: SyncConfigStore;
  users: UserStore;
  peers: PeerClient;
  /** Where the states are changed, each change recorded in the link history. */
  states: LinkStates;
}

/** One reason not to activate; `path` names the record's field to look at. */
export interface ActivationFinding {
  path: 'inbound_api_user' | 'run_as_user' | 'process_sync_definition' | 'connection' | 'external_id' | 'peer';
  message: string;
}

export type ActivationOutcome =
  | { activated: true; inbound_state: RemoteSystemState; outbound_state: RemoteSystemState }
  | { activated: false; findings: ActivationFinding[] };

/**
 * A local user the remote system relies on: it must exist, be active and hold
 * its role itself (admin does not stand in: these users should have no more
 * than they need). Checked again here because users change after the record
 * is saved.
 */
async function userFindings(users: UserStore, path: 'inbound_api_user' | 'run_as_user', userId: string, role: string, domain: string): Promise<ActivationFinding[]> {
  const what = path === 'inbound_api_user' ? 'inbound API user' : 'run-as user';
  const user = await users.byId(userId);
  if (!user) return [{ path, message: `the ${what} ${userId} does not exist on this instance; choose an existing user with the ${role} role` }];
  const findings: ActivationFinding[] = [];
  if (!new DomainScope(domain).sees(user.sys_domain)) {
    findings.push({ path, message: `the ${what} ${user.user_name} is in domain ${user.sys_domain}, outside the remote system's domain ${domain}; pick a user of ${domain} or below it` });
  }
  if (!user.active) findings.push({ path, message: `the ${what} ${user.user_name} is inactive; activate it or pick another user` });
  if (!user.roles.includes(role)) findings.push({ path, message: `the ${what} ${user.user_name} lacks the ${role} role; grant it (PATCH /api/lockstep/v1/users/${user._id}) or pick another user` });
  return findings;
}

/** Asks the peer, through this record's connection, whether its record pairs with this one. */
async function peerFindings(services: ActivationServices, remote: StoredRemoteSystem, processEvents: string[]): Promise<ActivationFinding[]> {
  if (remote.external_id === null) {
    return [{ path: 'external_id', message: "the external id is empty; set it to the sys_id of the peer's remote system record for this instance" }];
  }
  const answer = await services.peers.handshake(remote, {
    remote_system: remote.external_id,
    source_remote_system: remote._id,
    instance: services.instanceName,
    process_events: processEvents,
  });
  if (answer.outcome !== 'accepted') return [{ path: 'connection', message: answer.message }];
  return answer.result.findings.map((finding) => ({ path: 'peer', message: `the peer ${answer.result.instance} reports: ${finding}` }));
}

/**
 * The check Validate and Activate makes, and link health's probe of a link
 * in error: this record's users locally, and its connection and pairing
 * with the peer. No findings means the link is good.
 */
export async function validateRemoteSystem(services: ActivationServices, remote: StoredRemoteSystem): Promise<ActivationFinding[]> {
  const events = await services.config.processEvents.find({ process_sync_definition: remote.process_sync_definition });
  const names = [...new Set(events.map((event) => event.name))];
  const checks = await Promise.all([
    userFindings(services.users, 'inbound_api_user', remote.inbound_api_user, roles.processSyncApi, remote.sys_domain),
    userFindings(services.users, 'run_as_user', remote.run_as_user, roles.processSyncRunAs, remote.sys_domain),
    names.length === 0
      ? [{ path: 'process_sync_definition', message: `process sync definition ${remote.process_sync_definition} has no process events; create the ones this integration shares, with the same names as on the peer` } as const]
      : peerFindings(services, remote, names),
  ]);
  return checks.flat();
}

/**
 * Validate and Activate: validates the record, and only when all is well
 * sets both states to active, each change in the link history. It
 * activates this side only; the peer's admin runs it on theirs.
 */
export async function validateAndActivate(services: ActivationServices, remote: StoredRemoteSystem, by: string): Promise<ActivationOutcome> {
  const findings = await validateRemoteSystem(services, remote);
  if (findings.length > 0) return { activated: false, findings };
  for (const direction of ['inbound', 'outbound'] as const) {
    await services.states.move({ remoteSystem: remote._id, direction, from: ['disabled', 'error'], to: 'active', reason: `Validate and Activate by ${by}` });
  }
  const updated = await services.config.remoteSystem(remote._id);
  if (!updated) throw notFound('unknown-remote-system', `remote system ${remote.name} was deleted while it was being validated`);
  return { activated: true, inbound_state: updated.inbound_state, outbound_state: updated.outbound_state };
}
