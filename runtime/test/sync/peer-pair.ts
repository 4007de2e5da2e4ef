import { randomUUID } from 'node:crypto';
import type { SyncEnvelope } from '@lockstep/schema';
import { expect } from 'vitest';
import { signRequest } from '../../src/sync/peer/signature.js';
import { basic, startTestRuntime, type TestRuntime } from '../support/runtime.js';

/** The signing secret both records of the pair share. */
export const SHARED_SECRET = 'shared-signing-secret-of-the-test-pair-0001';
export const PROCESS_EVENT = 'Incident to case';

/** One instance of the pair, configured for the other through the config API. */
export interface PeerSide {
  name: string;
  runtime: TestRuntime;
  /** The local user the other side authenticates as. */
  apiUser: { sysId: string; userName: string; password: string; domain: string };
  runAsUserId: string;
  definitionId: string;
  processEventId: string;
  /** This side's remote system record for the other side. */
  remoteSystemId: string;
}

async function created(runtime: TestRuntime, path: string, body: unknown): Promise<string> {
  const response = await runtime.call('POST', path, { body });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()).result.sys_id;
}

export async function patch(runtime: TestRuntime, path: string, body: unknown): Promise<void> {
  const response = await runtime.call('PATCH', path, { body });
  expect(response.status, await response.clone().text()).toBe(200);
}

async function configure(name: string, runtime: TestRuntime, domain: string): Promise<Omit<PeerSide, 'remoteSystemId'>> {
  const password = `${name}-sync-api-password`;
  const apiUserId = await created(runtime, '/api/lockstep/v1/users', { user_name: 'sync.api', password, roles: ['ih_process_sync_api'], sys_domain: domain });
  const runAsUserId = await created(runtime, '/api/lockstep/v1/users', { user_name: 'sync.run_as', roles: ['ih_process_sync_run_as', 'itil'] });
  const definitionId = await created(runtime, '/api/lockstep/v1/sync/definitions', { name: `Incidents with ${name === 'consumer' ? 'the provider' : 'the consumer'}` });
  const processEventId = await created(runtime, '/api/lockstep/v1/sync/process-events', { name: PROCESS_EVENT, process_sync_definition: definitionId });
  return { name, runtime, apiUser: { sysId: apiUserId, userName: 'sync.api', password, domain }, runAsUserId, definitionId, processEventId };
}

/** This side's record for `peer`, which it reaches with the peer's inbound API user; the external id comes once both exist. */
function remoteSystemFor(side: Omit<PeerSide, 'remoteSystemId'>, peer: Omit<PeerSide, 'remoteSystemId'>) {
  return {
    process_sync_definition: side.definitionId,
    name: `${peer.name} instance`,
    connection: { base_url: peer.runtime.url, user_name: peer.apiUser.userName, password: peer.apiUser.password, signing_secrets: [SHARED_SECRET] },
    inbound_api_user: side.apiUser.sysId,
    run_as_user: side.runAsUserId,
  };
}

/**
 * Two runtimes, consumer (A) and provider (B), each with a process event of
 * the same name and a remote system record for the other, the records'
 * external ids pointing at each other. Nothing is activated yet.
 */
export async function startPeerPair(settings: () => Record<string, string>): Promise<{ a: PeerSide; b: PeerSide }> {
  const [runtimeA, runtimeB] = await Promise.all([startTestRuntime({ ...settings(), name: 'consumer' }), startTestRuntime({ ...settings(), name: 'provider' })]);
  const [baseA, baseB] = await Promise.all([configure('consumer', runtimeA, 'global'), configure('provider', runtimeB, 'global/acme')]);
  const a1 = await created(runtimeA, '/api/lockstep/v1/sync/remote-systems', remoteSystemFor(baseA, baseB));
  const b1 = await created(runtimeB, '/api/lockstep/v1/sync/remote-systems', remoteSystemFor(baseB, baseA));
  await patch(runtimeA, `/api/lockstep/v1/sync/remote-systems/${a1}`, { external_id: b1 });
  await patch(runtimeB, `/api/lockstep/v1/sync/remote-systems/${b1}`, { external_id: a1 });
  return { a: { ...baseA, remoteSystemId: a1 }, b: { ...baseB, remoteSystemId: b1 } };
}

export function activate(side: PeerSide): Promise<Response> {
  return side.runtime.call('POST', `/api/lockstep/v1/sync/remote-systems/${side.remoteSystemId}/activate`);
}

export async function remoteSystem(side: PeerSide): Promise<{ inbound_state: string; outbound_state: string }> {
  return (await (await side.runtime.call('GET', `/api/lockstep/v1/sync/remote-systems/${side.remoteSystemId}`)).json()).result;
}

/** An envelope `from` sends `to` for one change of one record. */
export function envelopeFrom(from: Pick<PeerSide, 'remoteSystemId' | 'name'>, to: Pick<PeerSide, 'remoteSystemId'>, overrides: Partial<SyncEnvelope> = {}): SyncEnvelope {
  return {
    id: randomUUID(),
    process_event: PROCESS_EVENT,
    source: { remote_system: from.remoteSystemId, target_remote_system: to.remoteSystemId, instance: from.name },
    operation: 'insert',
    sequence: 1,
    correlation: { sender_id: 'INC0010001', receiver_id: null },
    payload: {
      table: 'incident',
      sys_id: '1'.repeat(32),
      operation: 'insert',
      // Keys the stores refuse as field names: the queue keeps the envelope as text.
      fields: { short_description: 'Email is down', 'u_vendor.ref': 'X-1', $odd: true },
      changed: ['short_description'],
      journal: { comments: [{ value: 'Please look', created_by: 'beth', created_on: '2026-05-01 10:00:00' }] },
      attachments: [],
      metadata: { changed_by: 'beth', changed_on: '2026-05-01 10:00:00', domain: 'global', capture_definition: '2'.repeat(32), mod_count: 0 },
    },
    sent_at: new Date().toISOString(),
    ...overrides,
  };
}

export interface SignedPost {
  /** Sent as is; signed unless `signature` says otherwise. */
  body: string;
  auth?: string;
  timestamp?: number;
  secret?: string;
  signature?: string | null;
}

/** A POST to a peer route, made the way a sender makes it, each part of it overridable to make it wrong. */
export function signedPost(to: PeerSide, path: string, post: SignedPost): Promise<Response> {
  const timestamp = post.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: post.auth ?? basic(to.apiUser.userName, to.apiUser.password),
    'x-lockstep-timestamp': String(timestamp),
  };
  const signature = post.signature === undefined ? signRequest(post.secret ?? SHARED_SECRET, timestamp, post.body) : post.signature;
  if (signature !== null) headers['x-lockstep-signature'] = signature;
  return fetch(`${to.runtime.url}${path}`, { method: 'POST', headers, body: post.body });
}
