import {
  activationAnswerSchema,
  captureDefinitionSchema,
  captureDefinitionUpdateSchema,
  captureDefinitionViewSchema,
  configListQuerySchema,
  correlationListQuerySchema,
  correlationRecordSchema,
  dashboardQuerySchema,
  dashboardSchema,
  definitionListQuerySchema,
  definitionViewSchema,
  definitionWithRelatedSchema,
  flowLinkUpdateSchema,
  inboundFlowSchema,
  inboundFlowViewSchema,
  linkHistoryQuerySchema,
  linkTransitionSchema,
  outboundFlowSchema,
  outboundFlowViewSchema,
  pageOf,
  processEventSchema,
  processEventUpdateSchema,
  processEventViewSchema,
  processSyncDefinitionSchema,
  processSyncDefinitionUpdateSchema,
  queueActions,
  queueItemDetailSchema,
  queueItemViewSchema,
  queueListQuerySchema,
  queueStatsSchema,
  remoteSystemSchema,
  remoteSystemUpdateSchema,
  remoteSystemViewSchema,
  resultOf,
  syncDebugSchema,
  sysId,
} from '@lockstep/schema';
import { z } from 'zod';
import { anyId, linksTo, locationHeader, totalCountHeader, type LinkSpec, type Operation } from './openapi-operation.js';

const SYNC = '/api/lockstep/v1/sync';
const byId = z.strictObject({ id: sysId });
const newRecord = { id: '$response.body#/result/sys_id' };

interface KindSpec {
  path: string;
  label: string;
  create: z.ZodType;
  update: z.ZodType;
  view: z.ZodType;
  list: z.ZodObject;
  /** Where else a new record's id leads. */
  links?: LinkSpec[];
}

/** The five routes of one kind of configuration record, as sync-config-routes serves every kind. */
function kindOperations({ path, label, create, update, view, list, links = [] }: KindSpec): Operation[] {
  const tag = 'Sync configuration';
  const one = { description: `The ${label}`, body: resultOf(view) };
  const created = [...linksTo(`${SYNC}/${path}/{id}`, ['get', 'patch', 'delete'], newRecord), ...links];
  return [
    { method: 'get', path: `${SYNC}/${path}`, tag, summary: `List ${label}s`, query: list, responses: { 200: { description: `A page of ${label}s`, body: pageOf(view), headers: totalCountHeader } } },
    { method: 'post', path: `${SYNC}/${path}`, tag, summary: `Create a ${label}`, body: create, responses: { 201: { ...one, headers: locationHeader, links: created } } },
    { method: 'get', path: `${SYNC}/${path}/{id}`, tag, summary: `Read a ${label}`, params: byId, responses: { 200: one } },
    { method: 'patch', path: `${SYNC}/${path}/{id}`, tag, summary: `Change a ${label}: fields left out keep their values`, params: byId, body: update, responses: { 200: one } },
    { method: 'delete', path: `${SYNC}/${path}/{id}`, tag, summary: `Delete a ${label} nothing points at`, params: byId, responses: { 204: { description: 'Deleted' } } },
  ];
}

/** The outbound or inbound queue: its list, figures, items and the admins' actions on them. */
function queueOperations(side: 'outbound' | 'inbound'): Operation[] {
  const base = `${SYNC}/${side}-queue`;
  const tag = 'Queues';
  const item = z.strictObject({ id: anyId });
  return [
    { method: 'get', path: base, tag, summary: `List the ${side} queue`, query: queueListQuerySchema, responses: { 200: { description: 'A page of items', body: pageOf(queueItemViewSchema), headers: totalCountHeader } } },
    { method: 'get', path: `${base}/stats`, tag, summary: `The ${side} queue's figures`, responses: { 200: { description: 'Its figures', body: resultOf(queueStatsSchema) } } },
    { method: 'get', path: `${base}/{id}`, tag, summary: `Read an ${side} queue item`, params: item, responses: { 200: { description: 'The item, its payload and what it waits behind', body: resultOf(queueItemDetailSchema) } } },
    ...queueActions.map(
      (action): Operation => ({
        method: 'post',
        path: `${base}/{id}/${action}`,
        tag,
        summary: `${action[0]?.toUpperCase()}${action.slice(1)} an ${side} queue item`,
        params: item,
        responses: { 200: { description: 'The item as it is now', body: resultOf(queueItemViewSchema) } },
      }),
    ),
  ];
}

/** The Remote Process Sync admin API: configuration, Validate and Activate, queues, dashboard and correlations; for ih_process_sync. */
export const syncOperations: Operation[] = [
  ...kindOperations({ path: 'definitions', label: 'process sync definition', create: processSyncDefinitionSchema, update: processSyncDefinitionUpdateSchema, view: definitionViewSchema, list: definitionListQuerySchema, links: linksTo(`${SYNC}/definitions/{id}/related`, ['get'], newRecord) }),
  ...kindOperations({ path: 'process-events', label: 'process event', create: processEventSchema, update: processEventUpdateSchema, view: processEventViewSchema, list: configListQuerySchema }),
  ...kindOperations({ path: 'capture-definitions', label: 'capture definition', create: captureDefinitionSchema, update: captureDefinitionUpdateSchema, view: captureDefinitionViewSchema, list: configListQuerySchema }),
  ...kindOperations({ path: 'remote-systems', label: 'remote system', create: remoteSystemSchema, update: remoteSystemUpdateSchema, view: remoteSystemViewSchema, list: configListQuerySchema, links: linksTo(`${SYNC}/remote-systems/{id}/activate`, ['post'], newRecord) }),
  ...kindOperations({ path: 'outbound-flows', label: 'outbound flow', create: outboundFlowSchema, update: flowLinkUpdateSchema, view: outboundFlowViewSchema, list: configListQuerySchema }),
  ...kindOperations({ path: 'inbound-flows', label: 'inbound flow', create: inboundFlowSchema, update: flowLinkUpdateSchema, view: inboundFlowViewSchema, list: configListQuerySchema }),
  {
    method: 'get',
    path: `${SYNC}/definitions/{id}/related`,
    tag: 'Sync configuration',
    summary: 'A process sync definition with the records below it',
    params: byId,
    responses: { 200: { description: 'The definition and its related lists', body: resultOf(definitionWithRelatedSchema) } },
  },
  {
    method: 'post',
    path: `${SYNC}/remote-systems/{id}/activate`,
    tag: 'Sync configuration',
    summary: 'Validate and Activate: check the connection with the peer both ways, then activate both directions',
    params: z.strictObject({ id: anyId }),
    responses: {
      200: { description: 'Activated', body: resultOf(activationAnswerSchema) },
      422: { description: 'Not activated; the errors say what to fix' },
    },
  },
  {
    method: 'get',
    path: `${SYNC}/remote-systems/{id}/link-history`,
    tag: 'Sync configuration',
    summary: "The link history: each change of the remote system's inbound and outbound states, newest first, with its time and reason",
    params: z.strictObject({ id: anyId }),
    query: linkHistoryQuerySchema,
    responses: { 200: { description: 'The latest transitions', body: pageOf(linkTransitionSchema) } },
  },
  ...queueOperations('outbound'),
  ...queueOperations('inbound'),
  {
    method: 'get',
    path: `${SYNC}/dashboard`,
    tag: 'Dashboard',
    summary: "Remote systems' states, each queue's figures and a time series",
    query: dashboardQuerySchema,
    responses: { 200: { description: 'The dashboard', body: resultOf(dashboardSchema) } },
  },
  // /metrics is not here: it answers Prometheus's text format to scrapers, outside /api, and by default to this host only.
  { method: 'get', path: `${SYNC}/debug`, tag: 'Queues', summary: 'The debug switch: whether each step of every queue item is logged (admin)', responses: { 200: { description: 'The switch', body: resultOf(syncDebugSchema) } } },
  { method: 'put', path: `${SYNC}/debug`, tag: 'Queues', summary: 'Turn the debug switch on or off until the instance restarts (admin)', body: syncDebugSchema, responses: { 200: { description: 'The switch as it is now', body: resultOf(syncDebugSchema) } } },
  {
    method: 'get',
    path: `${SYNC}/correlations`,
    tag: 'Correlations',
    summary: 'List correlations: which local record is which remote one',
    query: correlationListQuerySchema,
    responses: { 200: { description: 'A page of correlations', body: pageOf(correlationRecordSchema), headers: totalCountHeader } },
  },
  { method: 'get', path: `${SYNC}/correlations/{id}`, tag: 'Correlations', summary: 'Read a correlation', params: z.strictObject({ id: anyId }), responses: { 200: { description: 'The correlation', body: resultOf(correlationRecordSchema) } } },
];
