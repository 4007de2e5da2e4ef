import type { SyncEnvelope } from '@lockstep/schema';
import { afterAll, beforeAll, expect } from 'vitest';
import type { StoredCorrelation } from '../../src/sync/correlation/correlation-store.js';
import { eventually } from '../support/until.js';
import { ADMIN, basic, type TestRuntime } from '../support/runtime.js';
import { activate, envelopeFrom, signedPost, startPeerPair, type PeerSide } from './peer-pair.js';

const SUBFLOWS = '/api/lockstep/v1/subflows';
const SYNC = '/api/lockstep/v1/sync';

export async function ok(response: Response, status = 200) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return text === '' ? undefined : JSON.parse(text);
}

function adminHeaders(etag?: string | null): Record<string, string> {
  return { authorization: basic(ADMIN.user, ADMIN.password), 'content-type': 'application/json', ...(etag && { 'if-match': etag }) };
}

interface GraphNode {
  id: string;
  params: Record<string, unknown>;
}

/** A published copy of a template, its draft first changed by `edit` (saved with PUT and If-Match). */
export async function publishedCopy(runtime: TestRuntime, template: string, edit: (nodes: GraphNode[]) => void): Promise<string> {
  const { result: copy } = await ok(await runtime.call('POST', `${SUBFLOWS}/${template}/copy`, { body: {} }), 201);
  const read = await runtime.call('GET', `${SUBFLOWS}/${copy.id}`);
  const { name, description, kind, inputs, outputs, nodes, edges, timeLimitMs } = (await ok(read)).result;
  edit(nodes);
  const saved = await fetch(`${runtime.url}${SUBFLOWS}/${copy.id}`, {
    method: 'PUT',
    headers: adminHeaders(read.headers.get('etag')),
    body: JSON.stringify({ name, description, kind, inputs, outputs, nodes, edges, timeLimitMs }),
  });
  await ok(saved);
  await ok(await fetch(`${runtime.url}${SUBFLOWS}/${copy.id}/publish`, { method: 'POST', headers: adminHeaders(saved.headers.get('etag')) }), 201);
  return copy.id;
}

/** The provider's inbound flow: inbound-basic, creating cases. */
export async function configureCaseInbound(b: PeerSide): Promise<string> {
  const subflow = await publishedCopy(b.runtime, 'inbound-basic', (nodes) => {
    for (const node of nodes) {
      if (node.id === 'createRecord' || node.id === 'createCorrelation') node.params.table = 'case';
      if (node.id === 'createRecord' || node.id === 'updateRecord') node.params.tables = ['case'];
    }
  });
  await ok(await b.runtime.call('POST', `${SYNC}/inbound-flows`, { body: { process_sync_definition: b.definitionId, process_event: b.processEventId, remote_system: b.remoteSystemId, subflow } }), 201);
  return subflow;
}

/** A pair, both sides activated, whose provider (B) applies the consumer's changes to cases. */
/** For the suite: A and B, activated, B applying A's incidents as cases; disposed of after it. Call within a describe. */
export function useCaseInboundPair(settings: () => Record<string, string>): () => { a: PeerSide; b: PeerSide } {
  let pair: { a: PeerSide; b: PeerSide } | undefined;
  beforeAll(async () => {
    const { a, b } = await startPeerPair(settings);
    pair = { a, b };
    for (const side of [a, b]) await ok(await activate(side));
    await configureCaseInbound(b);
  });
  afterAll(() => Promise.all([pair?.a.runtime.dispose(), pair?.b.runtime.dispose()]));
  return () => {
    if (!pair) throw new Error('the pair is started in beforeAll; read it within a test');
    return pair;
  };
}

/** What B would echo to A if its own capture took the flow's writes: a capture definition on case, with an outbound flow to A. */
export async function configureCaseCapture(b: PeerSide): Promise<void> {
  const subflow = await publishedCopy(b.runtime, 'outbound-basic', () => undefined);
  const link = { process_sync_definition: b.definitionId, process_event: b.processEventId, remote_system: b.remoteSystemId, subflow };
  await ok(await b.runtime.call('POST', `${SYNC}/outbound-flows`, { body: link }), 201);
  await ok(await b.runtime.call('POST', `${SYNC}/capture-definitions`, { body: { process_sync_definition: b.definitionId, process_event: b.processEventId, state: 'active', source_table: 'case' } }), 201);
}

/** One change of the consumer's incident `senderId`, as A sends it. */
export function change(a: PeerSide, b: PeerSide, senderId: string, sequence: number, fields: Record<string, unknown>, journal: Record<string, unknown> = {}): SyncEnvelope {
  const base = envelopeFrom(a, b);
  return {
    ...base,
    operation: sequence === 1 ? 'insert' : 'update',
    sequence,
    correlation: { sender_id: senderId, receiver_id: null },
    payload: { ...base.payload, operation: sequence === 1 ? 'insert' : 'update', fields, changed: Object.keys(fields), journal },
  };
}

export async function send(b: PeerSide, envelope: SyncEnvelope): Promise<void> {
  await ok(await signedPost(b, '/api/sync/v1/inbound', { body: JSON.stringify(envelope) }), 202);
}

export interface QueueItemView {
  sys_id: string;
  status: string;
  sequence: number;
  error_info: string | null;
  transform_context: string | null;
  processing_ms: number | null;
}

export async function queueItem(b: PeerSide, id: string): Promise<QueueItemView & { payload: SyncEnvelope }> {
  return (await ok(await b.runtime.call('GET', `${SYNC}/inbound-queue/${id}`))).result;
}

export { eventually } from '../support/until.js';

/** The item once B's processor is done with it: processed, or in error. */
export function processedItem(b: PeerSide, id: string): Promise<QueueItemView & { payload: SyncEnvelope }> {
  return eventually(() => queueItem(b, id), (item) => item.status === 'processed' || item.status === 'error');
}

/** A journal of one work note, for `change`. */
export const workNote = (value: string) => ({ work_notes: [{ value, created_by: 'beth', created_on: '2026-05-01 10:00:00' }] });

/** The case B keeps for A's incident `senderId`, found through its correlation. */
export async function caseOf(b: PeerSide, senderId: string): Promise<Record<string, unknown>> {
  const correlation = await b.runtime.store.collection<StoredCorrelation>('sync_correlation').findOne({ remote_system: b.remoteSystemId, remote_correlation_id: senderId });
  return (await ok(await b.runtime.call('GET', `/api/now/table/case/${correlation?.local_record}`))).result;
}

/** The first lines of the case's work notes, newest first. */
export async function workNotesOf(b: PeerSide, senderId: string): Promise<string[]> {
  return ((await caseOf(b, senderId)).work_notes as { value: string }[]).map((entry) => entry.value.split('\n')[0]!);
}
