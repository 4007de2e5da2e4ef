import { randomBytes } from 'node:crypto';
import type { DemoApi } from './api.js';

const SYNC = '/api/lockstep/v1/sync';
const USERS = '/api/lockstep/v1/users';

export const secret = () => randomBytes(24).toString('base64url');

/** One instance's half of a link. */
export interface LinkEnd {
  api: DemoApi;
  /** Where this side's integration lives: its sync users, definition and the records its inbound flows make. */
  domain: string;
  /** What this side calls the other, in record names. */
  peerName: string;
  /** Put before the sync users' names, so one instance can hold several links (`c1.` makes `c1.sync.api`). */
  userPrefix?: string;
  /** A published subflow the remote system runs when it goes to Error. */
  errorSubflow?: string;
}

/** What a link made on one side, by sys_id. */
export interface LinkedSide {
  definitionId: string;
  processEventId: string;
  /** This side's remote system record for the other side. */
  remoteSystemId: string;
  runAsId: string;
  /** What the peer calls this side's inbound API with. */
  inboundApi: { userName: string; password: string; signingSecret: string };
}

interface Half {
  end: LinkEnd;
  apiUser: { sysId: string; userName: string; password: string };
  runAsId: string;
  definitionId: string;
  processEventId: string;
}

async function half(end: LinkEnd, processEvent: string): Promise<Half> {
  const { api, domain, userPrefix = '' } = end;
  const password = secret();
  const userName = `${userPrefix}sync.api`;
  const apiUserId = await api.create(USERS, { user_name: userName, password, roles: ['ih_process_sync_api'], sys_domain: domain });
  const runAsId = await api.create(USERS, { user_name: `${userPrefix}sync.run_as`, roles: ['ih_process_sync_run_as', 'itil'], sys_domain: domain });
  const definitionId = await api.create(`${SYNC}/definitions`, { name: `Incidents with the ${end.peerName}`, sys_domain: domain });
  // The definition's related records take its domain.
  const processEventId = await api.create(`${SYNC}/process-events`, { name: processEvent, process_sync_definition: definitionId });
  return { end, apiUser: { sysId: apiUserId, userName, password }, runAsId, definitionId, processEventId };
}

/**
 * Links two instances as their admins would through the API: on each side
 * the sync users, a process sync definition with the shared process event,
 * and a remote system for the other side; both remote systems share one
 * generated signing secret, know each other's sys_id, and pass Validate and
 * Activate. Flows and capture come after, per integration.
 */
export async function linkInstances(a: LinkEnd, b: LinkEnd, processEvent: string): Promise<{ a: LinkedSide; b: LinkedSide }> {
  const [ha, hb] = await Promise.all([half(a, processEvent), half(b, processEvent)]);
  const signing = secret();
  const remoteSystemFor = (side: Half, peer: Half) => ({
    process_sync_definition: side.definitionId,
    name: `${side.end.peerName} instance`,
    connection: { base_url: peer.end.api.url, user_name: peer.apiUser.userName, password: peer.apiUser.password, signing_secrets: [signing] },
    inbound_api_user: side.apiUser.sysId,
    run_as_user: side.runAsId,
    ...(side.end.errorSubflow ? { error_subflow: side.end.errorSubflow } : {}),
  });
  const aRemote = await a.api.create(`${SYNC}/remote-systems`, remoteSystemFor(ha, hb));
  const bRemote = await b.api.create(`${SYNC}/remote-systems`, remoteSystemFor(hb, ha));
  await a.api.call('PATCH', `${SYNC}/remote-systems/${aRemote}`, { external_id: bRemote });
  await b.api.call('PATCH', `${SYNC}/remote-systems/${bRemote}`, { external_id: aRemote });
  await a.api.call('POST', `${SYNC}/remote-systems/${aRemote}/activate`, undefined, { expected: 200 });
  await b.api.call('POST', `${SYNC}/remote-systems/${bRemote}/activate`, undefined, { expected: 200 });
  const linked = (side: Half, remoteSystemId: string): LinkedSide => ({
    definitionId: side.definitionId,
    processEventId: side.processEventId,
    remoteSystemId,
    runAsId: side.runAsId,
    inboundApi: { userName: side.apiUser.userName, password: side.apiUser.password, signingSecret: signing },
  });
  return { a: linked(ha, aRemote), b: linked(hb, bRemote) };
}
