import { z } from 'zod';
import { auditFields } from './api/envelope.js';
import { conditionGroupSchema } from './condition.js';
import { sysId, tableName } from './dictionary.js';
import { peerPairSchema } from './attachments.js';

/**
 * Remote Tasks: a provider publishes remote task definitions and entitles
 * them to consumers; a consumer activates one onto a table of its own and
 * raises remote tasks on it, by a trigger or by hand. Directions are the
 * provider's: `inbound` is consumer to provider, `outbound` provider to
 * consumer.
 */

const name = z.string().trim().min(1).max(120);
/** A definition field's name; `remote_task` is taken by the link itself in every payload. */
const fieldName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,79}$/, 'a field name is lower case letters, digits and _, starting with a letter')
  .refine((value) => value !== 'remote_task', 'remote_task is the name the link itself travels under');

export const remoteTaskDirections = ['inbound', 'outbound', 'both'] as const;
export const remoteTaskDirection = z.enum(remoteTaskDirections);
export type RemoteTaskDirection = z.infer<typeof remoteTaskDirection>;

/** When a field is sent: with the remote task's first payload only, with every change, or never. */
export const syncWhenValues = ['insert', 'insert_or_update', 'never'] as const;
export const syncWhen = z.enum(syncWhenValues);
export type SyncWhen = z.infer<typeof syncWhen>;

/** A field a definition offers. */
export const remoteTaskFieldSchema = z.strictObject({
  name: fieldName,
  label: z.string().max(120).default(''),
  direction: remoteTaskDirection,
  sync_when: syncWhen.default('insert_or_update'),
  /** Shown on the remote task but never stored on the provider's record. */
  virtual: z.boolean().default(false),
  /** The provider's field it is stored in; the field's name when left out. */
  target_field: z.string().min(1).max(80).nullable().default(null),
});
export type RemoteTaskField = z.infer<typeof remoteTaskFieldSchema>;

/** Published subflows of the provider's that run this definition's flows instead of copies of the remote task templates. */
export const remoteTaskSubflowsSchema = z.strictObject({
  inbound: z.string().min(1).max(100).nullable().default(null),
  outbound: z.string().min(1).max(100).nullable().default(null),
});

const fields = z.array(remoteTaskFieldSchema).min(1).max(100);

/** What one revision of a definition says. */
export const remoteTaskRevisionContentSchema = z.strictObject({
  name,
  description: z.string().max(4000).default(''),
  /** The provider's table its tasks are worked in, e.g. case. */
  target_table: tableName,
  fields,
  subflows: remoteTaskSubflowsSchema.default({ inbound: null, outbound: null }),
});
export type RemoteTaskRevisionContent = z.infer<typeof remoteTaskRevisionContentSchema>;

export const remoteTaskDefinitionSchema = remoteTaskRevisionContentSchema;
/** An edit: a draft revision changes in place; a published one gets a new draft revision. */
export const remoteTaskDefinitionUpdateSchema = z.strictObject({
  name: name.optional(),
  description: z.string().max(4000).optional(),
  target_table: tableName.optional(),
  fields: fields.optional(),
  subflows: remoteTaskSubflowsSchema.optional(),
});

export const remoteTaskDefinitionStates = ['draft', 'published', 'inactive', 'archived', 'retired'] as const;
export const remoteTaskDefinitionState = z.enum(remoteTaskDefinitionStates);
export type RemoteTaskDefinitionState = z.infer<typeof remoteTaskDefinitionState>;

/** Where a published definition may be moved: Inactive stops new tasks, Archived hides it from catalogs, Retired ends it once its last task closes. */
export const remoteTaskStateChangeSchema = z.strictObject({ state: z.enum(['published', 'inactive', 'archived', 'retired']) });

export const remoteTaskRevisionSchema = remoteTaskRevisionContentSchema.extend({
  revision: z.number().int().min(1),
  status: z.enum(['draft', 'published']),
  published_on: z.string().nullable(),
});
export type RemoteTaskRevision = z.infer<typeof remoteTaskRevisionSchema>;

export const remoteTaskEntitlementSchema = z.strictObject({ remote_system: sysId });

/** A consumer that activated a revision, as the provider saw it. */
export const remoteTaskConsumerActivationSchema = z.object({ remote_system: z.string(), revision: z.number().int(), activated_on: z.string() });

export const remoteTaskDefinitionViewSchema = z.object({
  sys_id: z.string(),
  name: z.string(),
  state: remoteTaskDefinitionState,
  /** The process event its tasks travel under, the same on both instances. */
  process_event: z.string(),
  /** The latest published revision, 0 before the first publish. */
  published_revision: z.number().int(),
  revisions: z.array(remoteTaskRevisionSchema),
  entitlements: z.array(z.string()),
  activations: z.array(remoteTaskConsumerActivationSchema),
  sys_domain: z.string(),
  ...auditFields,
});
export type RemoteTaskDefinitionView = z.infer<typeof remoteTaskDefinitionViewSchema>;

/** What a consumer's catalog shows of an entitled definition: its latest published revision. */
export const remoteTaskCatalogEntrySchema = remoteTaskRevisionContentSchema.extend({
  definition: z.string(),
  state: remoteTaskDefinitionState,
  process_event: z.string(),
  revision: z.number().int().min(1),
});
export type RemoteTaskCatalogEntry = z.infer<typeof remoteTaskCatalogEntrySchema>;

/** Peer calls, consumer to provider, signed as every /api/sync/v1 call is. */
export const remoteTaskCatalogRequestSchema = peerPairSchema;
export const remoteTaskRevisionRequestSchema = peerPairSchema.extend({ definition: sysId, revision: z.number().int().min(1).optional() });
export const remoteTaskAdmissionSchema = z.object({ admitted: z.literal(true) });

/** A consumer's adjustment of one offered field: where it lives locally, and rules no wider than the provider's. */
export const remoteTaskFieldRuleSchema = z.strictObject({
  name: fieldName,
  /** The local field; null leaves the field out. */
  local_field: z.string().min(1).max(80).nullable(),
  direction: remoteTaskDirection.optional(),
  sync_when: syncWhen.optional(),
  /** Local value to the definition's, for choices; read backwards for what comes in. */
  value_map: z.record(z.string(), z.string()).optional(),
});
export type RemoteTaskFieldRule = z.infer<typeof remoteTaskFieldRuleSchema>;

const adjustments = z.array(remoteTaskFieldRuleSchema).max(100).default([]);

export const remoteTaskActivationSchema = z.strictObject({
  /** The consumer's remote system for the provider. */
  remote_system: sysId,
  definition: sysId,
  /** The local table its tasks are raised on, e.g. incident. */
  table: tableName,
  fields: adjustments,
});
export const remoteTaskUpgradeSchema = z.strictObject({ fields: adjustments.optional() });

/** The rules a consumer runs one revision with: every offered field, adjusted. */
export const activatedFieldSchema = z.object({
  name: z.string(),
  local_field: z.string().nullable(),
  direction: remoteTaskDirection,
  sync_when: syncWhen,
  virtual: z.boolean(),
  value_map: z.record(z.string(), z.string()).optional(),
});
export type ActivatedField = z.infer<typeof activatedFieldSchema>;

export const activatedRevisionSchema = z.object({ revision: z.number().int(), name: z.string(), fields: z.array(activatedFieldSchema) });

export const remoteTaskActivationViewSchema = z.object({
  sys_id: z.string(),
  remote_system: z.string(),
  definition: z.string(),
  name: z.string(),
  table: z.string(),
  process_event: z.string(),
  /** The revision new tasks use; tasks keep the one they were raised with. */
  revision: z.number().int(),
  revisions: z.array(activatedRevisionSchema),
  /** The configuration it made, editable like any other. */
  generated: z.object({ process_event: z.string(), capture_definition: z.string(), outbound_flow: z.string(), inbound_flow: z.string() }),
  sys_domain: z.string(),
  ...auditFields,
});
export type RemoteTaskActivationView = z.infer<typeof remoteTaskActivationViewSchema>;

export const remoteTaskTriggerSchema = z.strictObject({
  name,
  activation: sysId,
  /** On the activation's table, e.g. priority is 1 and category is network. */
  condition: conditionGroupSchema,
  active: z.boolean().default(true),
});
export const remoteTaskTriggerUpdateSchema = z.strictObject({ name: name.optional(), condition: conditionGroupSchema.optional(), active: z.boolean().optional() });
export const remoteTaskTriggerViewSchema = z.object({ ...remoteTaskTriggerSchema.shape, sys_id: z.string(), sys_domain: z.string(), ...auditFields });

/** Create remote task, on a record. */
export const newRemoteTaskSchema = z.strictObject({ activation: sysId, sys_id: sysId });
export const remoteTaskCatalogQuerySchema = z.strictObject({ remote_system: sysId });
