import { captureDefinitionSchema, conditionGroupSchema, remoteSystemStates } from '@lockstep/schema';
import { z } from 'zod';
import { request } from './client';
import { fetchPage, searchOf } from './paged';

const SYNC = '/lockstep/v1/sync';
const sysId = z.string();

/** What every configuration record carries besides its own fields. */
const audit = { sys_id: sysId, sys_domain: z.string(), sys_updated_on: z.string(), sys_updated_by: z.string() };

export const definitionView = z.object({ ...audit, name: z.string(), description: z.string() });
export const processEventView = z.object({ ...audit, name: z.string(), description: z.string(), process_sync_definition: sysId });
export const captureDefinitionView = z.object({ ...captureDefinitionSchema.shape, ...audit, filter: conditionGroupSchema });
export const flowLinkView = z.object({ ...audit, process_sync_definition: sysId, process_event: sysId, remote_system: sysId, subflow: z.string() });

const remoteState = z.enum(remoteSystemStates);
export const remoteSystemView = z.object({
  ...audit,
  process_sync_definition: sysId,
  name: z.string(),
  description: z.string(),
  external_id: z.string().nullable(),
  connection: z.object({ base_url: z.string(), user_name: z.string(), has_password: z.boolean(), signing_secrets: z.array(z.object({ fingerprint: z.string() })) }),
  inbound_api_user: sysId,
  run_as_user: sysId,
  error_subflow: z.string().nullable(),
  outbound_state: remoteState,
  inbound_state: remoteState,
});

export type DefinitionView = z.infer<typeof definitionView>;
export type ProcessEventView = z.infer<typeof processEventView>;
export type CaptureDefinitionView = z.infer<typeof captureDefinitionView>;
export type FlowLinkView = z.infer<typeof flowLinkView>;
export type RemoteSystemView = z.infer<typeof remoteSystemView>;

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

const related = z.object({
  result: definitionView.extend({
    related: z.object({
      capture_definitions: z.array(captureDefinitionView),
      process_events: z.array(processEventView),
      remote_systems: z.array(remoteSystemView),
      outbound_flows: z.array(flowLinkView),
      inbound_flows: z.array(flowLinkView),
    }),
  }),
});

const activated = z.object({ result: z.object({ findings: z.array(z.unknown()), inbound_state: remoteState, outbound_state: remoteState }) });

export const syncConfigApi = {
  definitions: kind('definitions', definitionView),
  processEvents: kind('process-events', processEventView),
  captureDefinitions: kind('capture-definitions', captureDefinitionView),
  remoteSystems: kind('remote-systems', remoteSystemView),
  outboundFlows: kind('outbound-flows', flowLinkView),
  inboundFlows: kind('inbound-flows', flowLinkView),
  related: async (definitionId: string) => (await request(related, `${SYNC}/definitions/${encodeURIComponent(definitionId)}/related`)).body.result,
  /** Validate and Activate; a refusal is an ApiProblem whose errors are the findings. */
  activate: async (remoteSystemId: string) => (await request(activated, `${SYNC}/remote-systems/${encodeURIComponent(remoteSystemId)}/activate`, { method: 'POST' })).body.result,
};
