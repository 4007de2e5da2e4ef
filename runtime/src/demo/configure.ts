import type { DemoApi } from './api.js';
import { ACME_DOMAIN } from './customers.js';
import { linkInstances, type LinkedSide } from './link.js';

const SYNC = '/api/lockstep/v1/sync';
const SUBFLOWS = '/api/lockstep/v1/subflows';
const USERS = '/api/lockstep/v1/users';
export const PROCESS_EVENT = 'Incident to case';
/**
 * The fields each side's capture definition sends. Comments are for the
 * customer, so they cross both ways. Work notes are internal: the consumer's
 * go to the provider's agents, who work the incident, but the provider's
 * stay with the provider, never shown to its customer.
 */
const CONSUMER_FIELDS = ['short_description', 'description', 'priority', 'state', 'comments', 'work_notes'];
const PROVIDER_FIELDS = ['short_description', 'description', 'priority', 'state', 'comments'];

/** Incident states as case states: the two tables number their states differently. */
export const CASE_STATE_OF_INCIDENT: Record<string, string> = { '1': '1', '2': '10', '3': '18', '6': '6', '7': '3', '8': '7' };
const INCIDENT_STATE_OF_CASE = Object.fromEntries(Object.entries(CASE_STATE_OF_INCIDENT).map(([incident, kase]) => [kase, incident]));

/** True once the demo configured this instance: it has a remote system. */
export async function isConfigured(api: DemoApi): Promise<boolean> {
  const { body } = await api.call('GET', `${SYNC}/remote-systems`);
  return Array.isArray(body.result) && body.result.length > 0;
}

interface Side {
  api: DemoApi;
  definitionId: string;
  processEventId: string;
}

/** A published copy of a template, its draft first changed by `edit` (saved with PUT and If-Match). */
async function publishedCopy(api: DemoApi, template: string, edit: (nodes: { id: string; params: Record<string, unknown> }[]) => void): Promise<string> {
  const copy = await api.create(`${SUBFLOWS}/${template}/copy`, {});
  const read = await api.call('GET', `${SUBFLOWS}/${copy}`);
  const { name, description, kind, inputs, outputs, nodes, edges, timeLimitMs } = read.body.result;
  edit(nodes);
  const saved = await api.call('PUT', `${SUBFLOWS}/${copy}`, { name, description, kind, inputs, outputs, nodes, edges, timeLimitMs }, { etag: read.etag });
  await api.call('POST', `${SUBFLOWS}/${copy}/publish`, undefined, { etag: saved.etag });
  return copy;
}

async function linkFlows(side: Side, remoteSystem: string, table: 'incident' | 'case'): Promise<void> {
  const { api } = side;
  const link = { process_sync_definition: side.definitionId, process_event: side.processEventId, remote_system: remoteSystem };
  const outbound = await publishedCopy(api, 'outbound-basic', () => undefined);
  await api.create(`${SYNC}/outbound-flows`, { ...link, subflow: outbound });
  const inbound = await publishedCopy(api, 'inbound-basic', (nodes) => {
    for (const node of nodes) {
      if (node.id === 'createRecord' || node.id === 'createCorrelation') node.params.table = table;
      // The only table this side's inbound flow writes, whatever the sender names.
      if (node.id === 'createRecord' || node.id === 'updateRecord') node.params.tables = [table];
      if (node.id === 'transformPayload') {
        const mappings = node.params.mappings as { source: string; valueMap?: Record<string, string> }[];
        const state = mappings.find((mapping) => mapping.source === 'fields.state');
        if (state) state.valueMap = table === 'case' ? CASE_STATE_OF_INCIDENT : INCIDENT_STATE_OF_CASE;
      }
    }
  });
  await api.create(`${SYNC}/inbound-flows`, { ...link, subflow: inbound });
  await api.create(`${SYNC}/capture-definitions`, {
    process_sync_definition: side.definitionId,
    process_event: side.processEventId,
    state: 'active',
    source_table: table,
    // A delete is sent too: the peer's inbound flow keeps its record and stops syncing it.
    operations: ['insert', 'update', 'delete'],
    include_fields: table === 'incident' ? CONSUMER_FIELDS : PROVIDER_FIELDS,
    include_attachments: true,
    // A record with remote tasks syncs through them: its changes are theirs to send.
    filter: { match: 'all', conditions: [{ field: 'remote_tasks', operator: 'is_empty' }] },
  });
}

/** What the configuration made on one side, by sys_id. */
export interface ConfiguredSide extends LinkedSide {
  /** The published copy of the error template its remote system runs. */
  errorSubflowId: string;
}

/**
 * First run: users, a process sync definition, the process event, remote
 * systems pointing at each other with one shared signing secret and a copy of
 * the error template, Validate and Activate, then capture and the outbound
 * and inbound flows on each side. The consumer is one company, so its side
 * is global; on the provider, the consumer is its customer acme, and the
 * integration lives in acme's domain. The subflow copies stay global, the
 * provider's to share: every customer's flows may run them.
 */
export async function configureDemo(consumer: DemoApi, provider: DemoApi, agentPassword: string): Promise<{ consumer: ConfiguredSide; provider: ConfiguredSide }> {
  await Promise.all([consumer, provider].map((api) => api.create(USERS, { user_name: 'agent', password: agentPassword, roles: ['itil'] })));
  const [cError, pError] = await Promise.all([publishedCopy(consumer, 'error-basic', () => undefined), publishedCopy(provider, 'error-basic', () => undefined)]);
  const linked = await linkInstances(
    { api: consumer, domain: 'global', peerName: 'provider', errorSubflow: cError },
    { api: provider, domain: ACME_DOMAIN, peerName: 'consumer', errorSubflow: pError },
    PROCESS_EVENT,
  );
  await linkFlows({ api: consumer, ...linked.a }, linked.a.remoteSystemId, 'incident');
  await linkFlows({ api: provider, ...linked.b }, linked.b.remoteSystemId, 'case');
  return { consumer: { ...linked.a, errorSubflowId: cError }, provider: { ...linked.b, errorSubflowId: pError } };
}
