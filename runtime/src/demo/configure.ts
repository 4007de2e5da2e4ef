import { randomBytes } from 'node:crypto';
import type { DemoApi } from './api.js';
import { ACME_DOMAIN } from './customers.js';

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
const CASE_STATE_OF_INCIDENT: Record<string, string> = { '1': '1', '2': '10', '3': '18', '6': '6', '7': '3', '8': '7' };
const INCIDENT_STATE_OF_CASE = Object.fromEntries(Object.entries(CASE_STATE_OF_INCIDENT).map(([incident, kase]) => [kase, incident]));

const secret = () => randomBytes(24).toString('base64url');

/** True once the demo configured this instance: it has a remote system. */
export async function isConfigured(api: DemoApi): Promise<boolean> {
  const { body } = await api.call('GET', `${SYNC}/remote-systems`);
  return Array.isArray(body.result) && body.result.length > 0;
}

interface Side {
  api: DemoApi;
  apiUser: { sysId: string; userName: string; password: string };
  runAsId: string;
  definitionId: string;
  processEventId: string;
}

/**
 * One side's users and definition, the integration's in `domain`: its sync
 * users, and so its queues, flows and the records its inbound flow makes,
 * live there too. The agent is the instance's own, in global.
 */
async function configureSide(api: DemoApi, peerName: string, agentPassword: string, domain: string): Promise<Side> {
  const password = secret();
  const userName = 'sync.api';
  const apiUserId = await api.create(USERS, { user_name: userName, password, roles: ['ih_process_sync_api'], sys_domain: domain });
  const runAsId = await api.create(USERS, { user_name: 'sync.run_as', roles: ['ih_process_sync_run_as', 'itil'], sys_domain: domain });
  await api.create(USERS, { user_name: 'agent', password: agentPassword, roles: ['itil'] });
  const definitionId = await api.create(`${SYNC}/definitions`, { name: `Incidents with the ${peerName}`, sys_domain: domain });
  // The definition's related records take its domain.
  const processEventId = await api.create(`${SYNC}/process-events`, { name: PROCESS_EVENT, process_sync_definition: definitionId });
  return { api, apiUser: { sysId: apiUserId, userName, password }, runAsId, definitionId, processEventId };
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
  });
}

/** What the configuration made on one side, by sys_id. */
export interface ConfiguredSide {
  definitionId: string;
  processEventId: string;
  /** This side's remote system record for the other side. */
  remoteSystemId: string;
  /** The published copy of the error template its remote system runs. */
  errorSubflowId: string;
  /** What the peer calls this side's inbound API with: its inbound API user and the signing secret both records share. */
  inboundApi: { userName: string; password: string; signingSecret: string };
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
  const [c, p] = await Promise.all([configureSide(consumer, 'provider', agentPassword, 'global'), configureSide(provider, 'consumer', agentPassword, ACME_DOMAIN)]);
  const signing = secret();
  const [cError, pError] = await Promise.all([publishedCopy(consumer, 'error-basic', () => undefined), publishedCopy(provider, 'error-basic', () => undefined)]);
  const remoteSystemFor = (side: Side, peer: Side, name: string, errorSubflow: string) => ({
    process_sync_definition: side.definitionId,
    name,
    connection: { base_url: peer.api.url, user_name: peer.apiUser.userName, password: peer.apiUser.password, signing_secrets: [signing] },
    inbound_api_user: side.apiUser.sysId,
    run_as_user: side.runAsId,
    error_subflow: errorSubflow,
  });
  const cRemote = await consumer.create(`${SYNC}/remote-systems`, remoteSystemFor(c, p, 'provider instance', cError));
  const pRemote = await provider.create(`${SYNC}/remote-systems`, remoteSystemFor(p, c, 'consumer instance', pError));
  await consumer.call('PATCH', `${SYNC}/remote-systems/${cRemote}`, { external_id: pRemote });
  await provider.call('PATCH', `${SYNC}/remote-systems/${pRemote}`, { external_id: cRemote });
  await consumer.call('POST', `${SYNC}/remote-systems/${cRemote}/activate`, undefined, { expected: 200 });
  await provider.call('POST', `${SYNC}/remote-systems/${pRemote}/activate`, undefined, { expected: 200 });
  await linkFlows(c, cRemote, 'incident');
  await linkFlows(p, pRemote, 'case');
  const configured = (side: Side, remoteSystemId: string, errorSubflowId: string): ConfiguredSide => ({
    definitionId: side.definitionId,
    processEventId: side.processEventId,
    remoteSystemId,
    errorSubflowId,
    inboundApi: { userName: side.apiUser.userName, password: side.apiUser.password, signingSecret: signing },
  });
  return { consumer: configured(c, cRemote, cError), provider: configured(p, pRemote, pError) };
}
