import {
  activationAnswerSchema,
  captureDefinitionViewSchema,
  definitionViewSchema,
  definitionWithRelatedSchema,
  inboundFlowViewSchema,
  outboundFlowViewSchema,
  processEventViewSchema,
  remoteSystemViewSchema,
  resultOf,
} from '@lockstep/schema';
import { z } from 'zod';
import { request } from './client';
import { fetchPage, searchOf } from './paged';

const SYNC = '/lockstep/v1/sync';

export type { CaptureDefinitionView, DefinitionView, FlowLinkView, ProcessEventView, RemoteSystemView } from '@lockstep/schema';

/** List, read, create, change and delete one kind of configuration record. */
function kind<S extends z.ZodType>(path: string, view: S) {
  // Typed by hand: zod cannot infer an object's shape through a generic schema.
  const one = z.object({ result: view }) as unknown as z.ZodType<{ result: z.infer<S> }>;
  const at = (id: string) => `${SYNC}/${path}/${encodeURIComponent(id)}`;
  return {
    list: (query: { process_sync_definition?: string; limit?: number; offset?: number } = {}) => fetchPage(view, `${SYNC}/${path}${searchOf({ limit: 1000, ...query })}`),
    get: async (id: string) => (await request(one, at(id))).body.result,
    create: async (fields: object) => (await request(one, `${SYNC}/${path}`, { method: 'POST', body: fields })).body.result,
    patch: async (id: string, fields: object) => (await request(one, at(id), { method: 'PATCH', body: fields })).body.result,
    remove: async (id: string) => {
      await request(z.undefined(), at(id), { method: 'DELETE' });
    },
  };
}

const related = resultOf(definitionWithRelatedSchema);

const activated = resultOf(activationAnswerSchema);

export const syncConfigApi = {
  definitions: kind('definitions', definitionViewSchema),
  processEvents: kind('process-events', processEventViewSchema),
  captureDefinitions: kind('capture-definitions', captureDefinitionViewSchema),
  remoteSystems: kind('remote-systems', remoteSystemViewSchema),
  outboundFlows: kind('outbound-flows', outboundFlowViewSchema),
  inboundFlows: kind('inbound-flows', inboundFlowViewSchema),
  related: async (definitionId: string) => (await request(related, `${SYNC}/definitions/${encodeURIComponent(definitionId)}/related`)).body.result,
  /** Validate and Activate; a refusal is an ApiProblem whose errors are the findings. */
  activate: async (remoteSystemId: string) => (await request(activated, `${SYNC}/remote-systems/${encodeURIComponent(remoteSystemId)}/activate`, { method: 'POST' })).body.result,
};
