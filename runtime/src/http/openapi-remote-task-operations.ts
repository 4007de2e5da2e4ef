import {
  newRemoteTaskSchema,
  pageOf,
  remoteTaskActivationSchema,
  remoteTaskActivationViewSchema,
  remoteTaskAdmissionSchema,
  remoteTaskCatalogEntrySchema,
  remoteTaskCatalogQuerySchema,
  remoteTaskCatalogRequestSchema,
  remoteTaskDefinitionSchema,
  remoteTaskDefinitionUpdateSchema,
  remoteTaskDefinitionViewSchema,
  remoteTaskEntitlementSchema,
  remoteTaskRevisionRequestSchema,
  remoteTaskRevisionSchema,
  remoteTaskStateChangeSchema,
  remoteTaskTriggerSchema,
  remoteTaskTriggerUpdateSchema,
  remoteTaskTriggerViewSchema,
  resultOf,
  sysId,
  tableRecordSchema,
} from '@lockstep/schema';
import { z } from 'zod';
import { linksTo, locationHeader, totalCountHeader, type Operation } from './openapi-operation.js';
import { signatureHeaders } from './openapi-peer-operations.js';

const BASE = '/api/lockstep/v1/remote-tasks';
const DEFINITIONS = `${BASE}/definitions`;
const byId = z.strictObject({ id: sysId });
const newRecord = { id: '$response.body#/result/sys_id' };
const definition = { description: 'The definition', body: resultOf(remoteTaskDefinitionViewSchema) };
const activation = { description: 'The activation', body: resultOf(remoteTaskActivationViewSchema) };
const trigger = { description: 'The trigger', body: resultOf(remoteTaskTriggerViewSchema) };
const page = (row: z.ZodType, description: string) => ({ description, body: pageOf(row), headers: totalCountHeader });

/** The provider's definitions: revisions, lifecycle and entitlements. */
const providerOperations: Operation[] = [
  { method: 'get', path: DEFINITIONS, tag: 'Remote task definitions', summary: 'List remote task definitions', responses: { 200: page(remoteTaskDefinitionViewSchema, 'The definitions') } },
  {
    method: 'post',
    path: DEFINITIONS,
    tag: 'Remote task definitions',
    summary: 'Create a definition, in Draft, as revision 1',
    body: remoteTaskDefinitionSchema,
    responses: { 201: { ...definition, headers: locationHeader, links: linksTo(`${DEFINITIONS}/{id}`, ['get', 'patch', 'delete'], newRecord) } },
  },
  { method: 'get', path: `${DEFINITIONS}/{id}`, tag: 'Remote task definitions', summary: 'Read a definition with its revisions, entitlements and the consumers that activated it', params: byId, responses: { 200: definition } },
  {
    method: 'patch',
    path: `${DEFINITIONS}/{id}`,
    tag: 'Remote task definitions',
    summary: 'Edit the draft revision; editing a published one starts the next revision as a draft',
    params: byId,
    body: remoteTaskDefinitionUpdateSchema,
    responses: { 200: definition },
  },
  { method: 'delete', path: `${DEFINITIONS}/{id}`, tag: 'Remote task definitions', summary: 'Delete a draft that is entitled to no one', params: byId, responses: { 204: { description: 'Deleted' } } },
  { method: 'post', path: `${DEFINITIONS}/{id}/publish`, tag: 'Remote task definitions', summary: 'Publish the draft revision', params: byId, responses: { 200: definition } },
  {
    method: 'post',
    path: `${DEFINITIONS}/{id}/state`,
    tag: 'Remote task definitions',
    summary: 'Move the definition along Published → Inactive → Archived → Retired (or Inactive back to Published)',
    params: byId,
    body: remoteTaskStateChangeSchema,
    responses: { 200: definition },
  },
  { method: 'get', path: `${DEFINITIONS}/{id}/revisions`, tag: 'Remote task definitions', summary: "List a definition's revisions", params: byId, responses: { 200: page(remoteTaskRevisionSchema, 'The revisions, oldest first') } },
  { method: 'post', path: `${DEFINITIONS}/{id}/entitlements`, tag: 'Remote task definitions', summary: 'Entitle the definition to a consumer (a remote system)', params: byId, body: remoteTaskEntitlementSchema, responses: { 201: definition } },
  {
    method: 'delete',
    path: `${DEFINITIONS}/{id}/entitlements/{remoteSystem}`,
    tag: 'Remote task definitions',
    summary: 'Take an entitlement back',
    params: z.strictObject({ id: sysId, remoteSystem: sysId }),
    responses: { 204: { description: 'No longer entitled' } },
  },
];

/** The consumer's catalog, activations, triggers and Create remote task. */
const consumerOperations: Operation[] = [
  {
    method: 'get',
    path: `${BASE}/catalog`,
    tag: 'Remote task activations',
    summary: "A provider's definitions entitled to this instance, asked of the provider",
    query: remoteTaskCatalogQuerySchema,
    responses: { 200: page(remoteTaskCatalogEntrySchema, 'Each entitled definition at its latest published revision') },
  },
  { method: 'get', path: `${BASE}/activations`, tag: 'Remote task activations', summary: 'List activations', responses: { 200: page(remoteTaskActivationViewSchema, 'The activations') } },
  {
    method: 'post',
    path: `${BASE}/activations`,
    tag: 'Remote task activations',
    summary: "Activate an entitled definition onto a local table, generating the process sync configuration that runs it",
    body: remoteTaskActivationSchema,
    responses: { 201: { ...activation, headers: locationHeader, links: linksTo(`${BASE}/activations/{id}`, ['get'], newRecord) } },
  },
  { method: 'get', path: `${BASE}/activations/{id}`, tag: 'Remote task activations', summary: 'Read an activation', params: byId, responses: { 200: activation } },
  {
    method: 'post',
    path: `${BASE}/activations/{id}/upgrade`,
    tag: 'Remote task activations',
    summary: "Move to the provider's latest published revision; tasks raised before keep theirs",
    params: byId,
    body: z.strictObject({ fields: remoteTaskActivationSchema.shape.fields.optional() }),
    bodyOptional: true,
    responses: { 200: activation },
  },
  { method: 'get', path: `${BASE}/triggers`, tag: 'Remote task activations', summary: 'List triggers', responses: { 200: page(remoteTaskTriggerViewSchema, 'The triggers') } },
  {
    method: 'post',
    path: `${BASE}/triggers`,
    tag: 'Remote task activations',
    summary: "Create a trigger: a condition on the activation's table that raises a remote task",
    body: remoteTaskTriggerSchema,
    responses: { 201: { ...trigger, headers: locationHeader, links: linksTo(`${BASE}/triggers/{id}`, ['get', 'patch', 'delete'], newRecord) } },
  },
  { method: 'get', path: `${BASE}/triggers/{id}`, tag: 'Remote task activations', summary: 'Read a trigger', params: byId, responses: { 200: trigger } },
  { method: 'patch', path: `${BASE}/triggers/{id}`, tag: 'Remote task activations', summary: 'Change a trigger', params: byId, body: remoteTaskTriggerUpdateSchema, responses: { 200: trigger } },
  { method: 'delete', path: `${BASE}/triggers/{id}`, tag: 'Remote task activations', summary: 'Delete a trigger', params: byId, responses: { 204: { description: 'Deleted' } } },
  {
    method: 'post',
    path: BASE,
    tag: 'Remote task activations',
    summary: 'Create remote task: raise one on a record, to the activation\'s provider',
    body: newRemoteTaskSchema,
    responses: { 201: { description: 'The remote_task record, as the Table API shows it', body: resultOf(tableRecordSchema), headers: locationHeader } },
  },
];

const peer = { tag: 'Peer API', headers: signatureHeaders, description: "Called by a consumer, as the inbound API user of this instance's remote system record for it, and signed." };

/** What a consumer asks its provider. */
const providerPeerOperations: Operation[] = [
  { method: 'post', path: '/api/sync/v1/remote-tasks/catalog', ...peer, summary: 'The definitions entitled to the caller', body: remoteTaskCatalogRequestSchema, responses: { 200: { description: 'Each at its latest published revision', body: resultOf(z.array(remoteTaskCatalogEntrySchema)) } } },
  {
    method: 'post',
    path: '/api/sync/v1/remote-tasks/revision',
    ...peer,
    summary: "Activation: a revision of an entitled, published definition; the provider makes its half of the configuration",
    body: remoteTaskRevisionRequestSchema,
    responses: { 200: { description: 'The revision', body: resultOf(remoteTaskCatalogEntrySchema) } },
  },
  { method: 'post', path: '/api/sync/v1/remote-tasks/admission', ...peer, summary: 'Whether the provider takes a new remote task on a revision', body: remoteTaskRevisionRequestSchema, responses: { 200: { description: 'Taken', body: resultOf(remoteTaskAdmissionSchema) } } },
];

export const remoteTaskOperations: Operation[] = [...providerOperations, ...consumerOperations, ...providerPeerOperations];
