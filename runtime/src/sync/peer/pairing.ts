import type { Principal } from '../../auth/principal.js';
import type { StoredRemoteSystem, SyncConfigStore } from '../config/sync-config-store.js';
import type { HandshakeAnswer, HandshakeRequest } from '@lockstep/schema';

/**
 * The receiving side of a handshake: does this instance's record pair with
 * the sender's, is the sender calling as its inbound API user, and which
 * process events do both have. Findings speak of this instance, for the
 * sender's admin to pass on or fix.
 */
export async function pairingFindings(
  config: SyncConfigStore,
  instanceName: string,
  request: HandshakeRequest,
  remote: StoredRemoteSystem | null,
  caller: Principal,
): Promise<Omit<HandshakeAnswer, 'instance'>> {
  if (!remote) {
    const finding = `${instanceName} has no remote system ${request.remote_system}; set the external id of the record on ${request.instance} to the sys_id of ${instanceName}'s remote system record for ${request.instance}`;
    return { ok: false, findings: [finding], process_events: [] };
  }
  const findings: string[] = [];
  if (remote.external_id !== request.source_remote_system) {
    findings.push(`remote system ${remote.name} on ${instanceName} has external id ${remote.external_id}, not ${request.source_remote_system}; set it to the sys_id of ${request.instance}'s record`);
  }
  if (caller.sysId !== remote.inbound_api_user) {
    findings.push(`user ${caller.userName} is not the inbound API user of remote system ${remote.name} on ${instanceName}; set the connection's user name and password to that user's`);
  }
  const local = await config.processEvents.find({ process_sync_definition: remote.process_sync_definition });
  const offered = new Set(request.process_events);
  const shared = local.map((event) => event.name).filter((name) => offered.has(name));
  if (shared.length === 0) {
    const theirs = request.process_events.map((name) => `"${name}"`).join(', ') || 'none';
    const ours = local.map((event) => `"${event.name}"`).join(', ') || 'none';
    findings.push(`no process event is shared: ${request.instance} has ${theirs}, remote system ${remote.name}'s process sync definition on ${instanceName} has ${ours}; give a process event the same name on both instances`);
  }
  return { ok: findings.length === 0, findings, process_events: [...new Set(shared)] };
}
