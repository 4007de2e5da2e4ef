import {
  remoteTaskActivationViewSchema,
  remoteTaskCatalogEntrySchema,
  remoteTaskDefinitionViewSchema,
  remoteTaskTriggerViewSchema,
  resultOf,
  tableRecordSchema,
  type RemoteTaskDefinitionState,
  type RemoteTaskFieldRule,
  type RemoteTaskRevisionContent,
} from '@lockstep/schema';
import { z } from 'zod';
import { request } from './client';
import { fetchPage, searchOf } from './paged';

export type { ActivatedField, RemoteTaskActivationView, RemoteTaskCatalogEntry, RemoteTaskDefinitionView, RemoteTaskField, RemoteTaskFieldRule, RemoteTaskRevision } from '@lockstep/schema';
export type RemoteTaskTriggerView = z.infer<typeof remoteTaskTriggerViewSchema>;

const BASE = '/lockstep/v1/remote-tasks';
const DEFINITIONS = `${BASE}/definitions`;
const definition = resultOf(remoteTaskDefinitionViewSchema);
const activation = resultOf(remoteTaskActivationViewSchema);
const trigger = resultOf(remoteTaskTriggerViewSchema);
const at = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;
const none = z.undefined();

/** A trigger as it is made or changed: its name, activation, condition and whether it is active. */
export type TriggerBody = Pick<RemoteTaskTriggerView, 'name' | 'activation' | 'condition' | 'active'>;

/** The provider's side: definitions, their revisions, lifecycle and entitlements. */
export const definitionApi = {
  list: () => fetchPage(remoteTaskDefinitionViewSchema, DEFINITIONS),
  get: async (id: string) => (await request(definition, at(DEFINITIONS, id))).body.result,
  create: async (content: RemoteTaskRevisionContent) => (await request(definition, DEFINITIONS, { method: 'POST', body: content })).body.result,
  /** Changes the draft revision, or starts the next one when the latest is published. */
  edit: async (id: string, content: Partial<RemoteTaskRevisionContent>) => (await request(definition, at(DEFINITIONS, id), { method: 'PATCH', body: content })).body.result,
  remove: async (id: string) => {
    await request(none, at(DEFINITIONS, id), { method: 'DELETE' });
  },
  publish: async (id: string) => (await request(definition, `${at(DEFINITIONS, id)}/publish`, { method: 'POST' })).body.result,
  moveTo: async (id: string, state: Exclude<RemoteTaskDefinitionState, 'draft'>) => (await request(definition, `${at(DEFINITIONS, id)}/state`, { method: 'POST', body: { state } })).body.result,
  entitle: async (id: string, remoteSystem: string) => (await request(definition, `${at(DEFINITIONS, id)}/entitlements`, { method: 'POST', body: { remote_system: remoteSystem } })).body.result,
  unentitle: async (id: string, remoteSystem: string) => {
    await request(none, at(`${at(DEFINITIONS, id)}/entitlements`, remoteSystem), { method: 'DELETE' });
  },
};

/** The consumer's side: a provider's catalog, activations and their upgrades, triggers, and Create remote task on a record. */
export const activationApi = {
  /** Asked of the provider behind `remoteSystem`: what it entitled to this instance. */
  catalog: async (remoteSystem: string) => (await request(resultOf(z.array(remoteTaskCatalogEntrySchema)), `${BASE}/catalog${searchOf({ remote_system: remoteSystem })}`)).body.result,
  list: () => fetchPage(remoteTaskActivationViewSchema, `${BASE}/activations`),
  get: async (id: string) => (await request(activation, at(`${BASE}/activations`, id))).body.result,
  activate: async (body: { remote_system: string; definition: string; table: string; fields: RemoteTaskFieldRule[] }) =>
    (await request(activation, `${BASE}/activations`, { method: 'POST', body })).body.result,
  upgrade: async (id: string, fields?: RemoteTaskFieldRule[]) => (await request(activation, `${at(`${BASE}/activations`, id)}/upgrade`, { method: 'POST', body: fields === undefined ? {} : { fields } })).body.result,
  /** Raises a remote task on a record; the answer is its remote_task record. */
  raise: async (activationId: string, sysId: string) => (await request(resultOf(tableRecordSchema), BASE, { method: 'POST', body: { activation: activationId, sys_id: sysId } })).body.result,
};

export const triggerApi = {
  list: () => fetchPage(remoteTaskTriggerViewSchema, `${BASE}/triggers`),
  create: async (body: TriggerBody) => (await request(trigger, `${BASE}/triggers`, { method: 'POST', body })).body.result,
  change: async (id: string, body: Partial<Omit<TriggerBody, 'activation'>>) => (await request(trigger, at(`${BASE}/triggers`, id), { method: 'PATCH', body })).body.result,
  remove: async (id: string) => {
    await request(none, at(`${BASE}/triggers`, id), { method: 'DELETE' });
  },
};
