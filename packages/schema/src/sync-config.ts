import { z } from 'zod';
import { conditionGroupSchema } from './condition.js';
import { sysId, tableName } from './dictionary.js';
import { domainName } from './users.js';

/**
 * Remote Process Sync configuration, in the original's records: a process
 * sync definition groups the capture definitions, process events, remote
 * systems and the outbound and inbound flows of one integration.
 */

/**
 * Where the record lives. A process sync definition's defaults to its
 * creator's domain; every other record lives in its definition's, which the
 * API fills in when the body leaves it out.
 */
const domain = domainName.default('global');
const name = z.string().trim().min(1).max(120);

export const processSyncDefinitionSchema = z.strictObject({
  name,
  description: z.string().max(4000).default(''),
  sys_domain: domain,
});

/** The same name on both instances is what links their halves of the process. */
export const processEventSchema = z.strictObject({
  name,
  description: z.string().max(4000).default(''),
  process_sync_definition: sysId,
  sys_domain: domain,
});

export const captureOperations = ['insert', 'update', 'delete'] as const;
export const captureOperation = z.enum(captureOperations);
export type CaptureOperation = z.infer<typeof captureOperation>;

export const captureDefinitionSchema = z.strictObject({
  process_sync_definition: sysId,
  process_event: sysId,
  state: z.enum(['active', 'inactive']).default('inactive'),
  /** Lower orders are evaluated first. */
  order: z.number().int().min(0).max(1_000_000).default(100),
  source_table: tableName,
  /** When it fires; the same condition tree as the designer's If node, with changes / changes to / changes from. */
  filter: conditionGroupSchema.default({ match: 'all', conditions: [] }),
  operations: z.array(captureOperation).min(1).default(['insert', 'update']),
  /** The fields sent in the payload; journal fields send only their new entries. */
  include_fields: z.array(z.string().min(1)).default([]),
  include_attachments: z.boolean().default(false),
  sys_domain: domain,
});

export const remoteSystemStates = ['disabled', 'active', 'error'] as const;
export const remoteSystemState = z.enum(remoteSystemStates);
export type RemoteSystemState = z.infer<typeof remoteSystemState>;

/** How to reach the peer: its base URL, the peer's inbound API user, and the shared signing secrets. */
export const connectionAliasSchema = z.strictObject({
  base_url: z.url({ protocol: /^https?$/ }),
  user_name: z.string().min(1).max(80),
  password: z.string().min(1).max(256),
  /** The first signs what is sent; any of them verifies what arrives, so a secret can be rotated without downtime. */
  signing_secrets: z.array(z.string().min(32, 'a signing secret has at least 32 characters').max(256)).min(1).max(2),
});

export const remoteSystemSchema = z.strictObject({
  process_sync_definition: sysId,
  name,
  description: z.string().max(4000).default(''),
  /**
   * The sys_id of the peer's remote system record that points back at this
   * instance. Whichever side is set up first cannot know it yet, so it may be
   * left empty until then; Validate and Activate needs it.
   */
  external_id: sysId.nullable().default(null),
  connection: connectionAliasSchema,
  /** The local user the peer authenticates as; it needs ih_process_sync_api. */
  inbound_api_user: sysId,
  /** The local user inbound flows run as; it needs ih_process_sync_run_as and the roles of the tables they write. */
  run_as_user: sysId,
  /** A published subflow run when the inbound or outbound state becomes error. */
  error_subflow: z.string().min(1).nullable().default(null),
  outbound_state: remoteSystemState.default('disabled'),
  inbound_state: remoteSystemState.default('disabled'),
  /** Logs each step of this remote system's queue items (the debug switch, for one remote system). */
  debug: z.boolean().default(false),
  /**
   * In Error, the runtime probes the peer with backoff and returns the state
   * to Active once it validates; off, only Validate and Activate does.
   */
  auto_recovery: z.boolean().default(true),
  sys_domain: domain,
});

const flowLinkSchema = z.strictObject({
  process_sync_definition: sysId,
  process_event: sysId,
  remote_system: sysId,
  /** A subflow id; the run uses its latest published version. */
  subflow: z.string().min(1),
  sys_domain: domain,
});

export const outboundFlowSchema = flowLinkSchema;
export const inboundFlowSchema = flowLinkSchema;

/**
 * A correlation as flows and the API show it: which local record is which
 * record of a remote system, each side knowing it by its own correlation id
 * (the remote one is null until the other side has answered).
 */
export const correlationViewSchema = z.object({
  sys_id: z.string(),
  local_correlation_id: z.string(),
  remote_correlation_id: z.string().nullable(),
  local_table: z.string(),
  local_record: z.string(),
  remote_system: z.string(),
  state: z.enum(['active', 'inactive']),
});

export type ProcessSyncDefinition = z.infer<typeof processSyncDefinitionSchema>;
export type ProcessEvent = z.infer<typeof processEventSchema>;
export type CaptureDefinition = z.infer<typeof captureDefinitionSchema>;
export type ConnectionAlias = z.infer<typeof connectionAliasSchema>;
export type RemoteSystem = z.infer<typeof remoteSystemSchema>;
export type FlowLink = z.infer<typeof flowLinkSchema>;

/**
 * The body of a PATCH: any of the fields, with none filled in by default, so
 * that an omitted field keeps its stored value (zod's `.partial()` would
 * apply the defaults and reset them).
 */
function patchSchemaOf<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  const shape = Object.fromEntries(Object.entries(schema.shape).map(([key, field]) => [key, field instanceof z.ZodDefault ? field.unwrap() : field]));
  return z.strictObject(shape).partial() as unknown as z.ZodObject<{ [K in keyof Shape]: z.ZodOptional<Shape[K]> }, z.core.$strict>;
}

/** A record stays in the definition it was created in: its references are checked against that definition. */
const fixedDefinition = z
  .never({ error: 'a record cannot move to another process sync definition; create it in that definition instead' })
  .optional();

export const processSyncDefinitionUpdateSchema = patchSchemaOf(processSyncDefinitionSchema);
export const processEventUpdateSchema = patchSchemaOf(processEventSchema).extend({ process_sync_definition: fixedDefinition });
export const captureDefinitionUpdateSchema = patchSchemaOf(captureDefinitionSchema).extend({ process_sync_definition: fixedDefinition });
/** The connection's password and signing secrets may be left out to keep the stored ones. */
export const remoteSystemUpdateSchema = patchSchemaOf(remoteSystemSchema).extend({
  process_sync_definition: fixedDefinition,
  connection: connectionAliasSchema.partial().optional(),
});
export const flowLinkUpdateSchema = patchSchemaOf(flowLinkSchema).extend({ process_sync_definition: fixedDefinition });

export type ProcessSyncDefinitionUpdate = z.infer<typeof processSyncDefinitionUpdateSchema>;
export type ProcessEventUpdate = z.infer<typeof processEventUpdateSchema>;
export type CaptureDefinitionUpdate = z.infer<typeof captureDefinitionUpdateSchema>;
export type RemoteSystemUpdate = z.infer<typeof remoteSystemUpdateSchema>;
export type FlowLinkUpdate = z.infer<typeof flowLinkUpdateSchema>;
