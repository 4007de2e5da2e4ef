import {
  contextListQuerySchema,
  flowContextViewSchema,
  pageOf,
  resultOf,
  subflowCopySchema,
  subflowFindingsSchema,
  subflowGraphSchema,
  subflowListQuerySchema,
  subflowSummarySchema,
  subflowViewSchema,
  subflowWrittenSchema,
  testRunSchema,
} from '@lockstep/schema';
import { z } from 'zod';
import { anyId, etagHeader, linksTo, locationHeader, totalCountHeader, type LinkSpec, type Operation } from './openapi-operation.js';

const SUBFLOWS = '/api/lockstep/v1/subflows';

const subflow = z.strictObject({ id: anyId });
/** The revision a change is based on, as GET's ETag gave it (`"3"`), or `*`. */
const ifMatch = (required: boolean) => z.strictObject({ 'If-Match': required ? z.string().min(1) : z.string().min(1).optional() });
const draftId = { id: '$response.body#/result/id' };
/** From a new draft to what may be done with it; changes name the revision its ETag gave. */
const draftLinks: LinkSpec[] = [
  ...linksTo(`${SUBFLOWS}/{id}`, ['get', 'delete'], draftId),
  ...linksTo(`${SUBFLOWS}/{id}/validate`, ['post'], draftId),
  ...linksTo(`${SUBFLOWS}/{id}/versions`, ['get'], draftId),
  ...linksTo(`${SUBFLOWS}/{id}/copy`, ['post'], draftId),
  ...linksTo(`${SUBFLOWS}/{id}/test-run`, ['post'], draftId),
  ...linksTo(`${SUBFLOWS}/{id}`, ['put'], { ...draftId, 'header.If-Match': '$response.header.ETag' }),
  ...linksTo(`${SUBFLOWS}/{id}/publish`, ['post'], { ...draftId, 'header.If-Match': '$response.header.ETag' }),
];
const written = (description: string) => ({ description, body: subflowWrittenSchema, headers: { ...etagHeader, ...locationHeader }, links: draftLinks });

/** Subflows (drafts, versions, copies), their test runs, and the flow contexts every run leaves; for ih_process_sync. */
export const flowOperations: Operation[] = [
  { method: 'get', path: SUBFLOWS, tag: 'Subflows', summary: 'List subflows', query: subflowListQuerySchema, responses: { 200: { description: 'The subflows, without their graphs', body: resultOf(z.array(subflowSummarySchema)) } } },
  { method: 'post', path: SUBFLOWS, tag: 'Subflows', summary: 'Create a draft', body: subflowGraphSchema, responses: { 201: written('The draft, and what validation found') } },
  { method: 'get', path: `${SUBFLOWS}/{id}`, tag: 'Subflows', summary: 'Read a draft', params: subflow, responses: { 200: { description: 'The draft', body: resultOf(subflowViewSchema), headers: etagHeader } } },
  {
    method: 'put',
    path: `${SUBFLOWS}/{id}`,
    tag: 'Subflows',
    summary: 'Save a draft; it may hold findings',
    params: subflow,
    headers: ifMatch(true),
    body: subflowGraphSchema,
    responses: { 200: { description: 'The draft, and what validation found', body: subflowWrittenSchema, headers: etagHeader } },
  },
  { method: 'delete', path: `${SUBFLOWS}/{id}`, tag: 'Subflows', summary: 'Delete a draft never published', params: subflow, headers: ifMatch(false), responses: { 204: { description: 'Deleted' } } },
  {
    method: 'post',
    path: `${SUBFLOWS}/{id}/validate`,
    tag: 'Subflows',
    summary: 'Validate the saved draft, or the graph in the body',
    params: subflow,
    body: subflowGraphSchema,
    bodyOptional: true,
    responses: { 200: { description: 'What validation found', body: subflowFindingsSchema } },
  },
  {
    method: 'post',
    path: `${SUBFLOWS}/{id}/publish`,
    tag: 'Subflows',
    summary: 'Publish the draft as an immutable version',
    params: subflow,
    headers: ifMatch(true),
    responses: { 201: { description: 'The version, and what validation found', body: subflowWrittenSchema, headers: locationHeader } },
  },
  { method: 'get', path: `${SUBFLOWS}/{id}/versions`, tag: 'Subflows', summary: "List a subflow's published versions", params: subflow, responses: { 200: { description: 'The versions', body: resultOf(z.array(subflowSummarySchema)) } } },
  {
    method: 'get',
    path: `${SUBFLOWS}/{id}/versions/{version}`,
    tag: 'Subflows',
    summary: 'Read a published version',
    params: z.strictObject({ id: anyId, version: z.string().regex(/^[1-9][0-9]{0,8}$/) }),
    responses: { 200: { description: 'The version', body: resultOf(subflowViewSchema) } },
  },
  { method: 'post', path: `${SUBFLOWS}/{id}/copy`, tag: 'Subflows', summary: "Copy a subflow into a new draft in the caller's domain", params: subflow, body: subflowCopySchema, responses: { 201: written('The new draft, and what validation found') } },
  {
    method: 'post',
    path: `${SUBFLOWS}/{id}/test-run`,
    tag: 'Test runs',
    summary: 'Run the draft or a version as the caller',
    params: subflow,
    body: testRunSchema,
    responses: {
      201: {
        description: "The run's flow context",
        body: resultOf(flowContextViewSchema),
        headers: locationHeader,
        links: linksTo('/api/lockstep/v1/contexts/{id}', ['get'], { id: '$response.body#/result/sys_id' }),
      },
    },
  },
  {
    method: 'get',
    path: '/api/lockstep/v1/contexts',
    tag: 'Flow contexts',
    summary: 'List runs, newest first',
    query: contextListQuerySchema,
    responses: { 200: { description: 'A page of flow contexts', body: pageOf(flowContextViewSchema), headers: totalCountHeader } },
  },
  { method: 'get', path: '/api/lockstep/v1/contexts/{id}', tag: 'Flow contexts', summary: 'Read a run', params: z.strictObject({ id: anyId }), responses: { 200: { description: 'The flow context', body: resultOf(flowContextViewSchema) } } },
];
