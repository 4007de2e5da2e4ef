import { z } from 'zod';
import { sysId } from '../dictionary.js';
import {
  captureDefinitionSchema,
  inboundFlowSchema,
  outboundFlowSchema,
  processEventSchema,
  processSyncDefinitionSchema,
  remoteSystemSchema,
  remoteSystemState,
} from '../sync-config.js';
import { auditFields, pageParams } from './envelope.js';

/** The Remote Process Sync configuration API's answers and list parameters (`/api/lockstep/v1/sync`). */

const stored = { sys_id: z.string(), ...auditFields };

/** A record as shown: its fields as written (defaults filled in), its sys_id and its audit fields. */
const viewOf = <Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) => z.object({ ...schema.shape, ...stored });

export const definitionViewSchema = viewOf(processSyncDefinitionSchema);
export const processEventViewSchema = viewOf(processEventSchema);
export const captureDefinitionViewSchema = viewOf(captureDefinitionSchema);
export const outboundFlowViewSchema = viewOf(outboundFlowSchema);
export const inboundFlowViewSchema = viewOf(inboundFlowSchema);

/** A connection as shown: whether a password is set, and which signing secrets, never their values. */
export const connectionViewSchema = z.object({
  base_url: z.string(),
  user_name: z.string(),
  has_password: z.boolean(),
  /** In the order they are used: the first signs. Enough of each one's sha256 to compare both instances' secrets. */
  signing_secrets: z.array(z.object({ fingerprint: z.string() })),
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

export const remoteSystemViewSchema = z.object({ ...remoteSystemSchema.shape, ...stored, connection: connectionViewSchema });

export type DefinitionView = z.infer<typeof definitionViewSchema>;
export type ProcessEventView = z.infer<typeof processEventViewSchema>;
export type CaptureDefinitionView = z.infer<typeof captureDefinitionViewSchema>;
export type FlowLinkView = z.infer<typeof outboundFlowViewSchema>;
export type RemoteSystemView = z.infer<typeof remoteSystemViewSchema>;

/** A process sync definition with the records below it, as its form shows them. */
export const definitionWithRelatedSchema = definitionViewSchema.extend({
  related: z.object({
    capture_definitions: z.array(captureDefinitionViewSchema),
    process_events: z.array(processEventViewSchema),
    remote_systems: z.array(remoteSystemViewSchema),
    outbound_flows: z.array(outboundFlowViewSchema),
    inbound_flows: z.array(inboundFlowViewSchema),
  }),
});

/** Validate and Activate's answer when it activated; a refusal is a 422 problem whose errors are the findings. */
export const activationAnswerSchema = z.object({
  findings: z.array(z.never()),
  inbound_state: remoteSystemState,
  outbound_state: remoteSystemState,
});

export const definitionListQuerySchema = z.strictObject(pageParams);

/** Every record below a definition may be listed by it. */
export const configListQuerySchema = z.strictObject({ ...pageParams, process_sync_definition: sysId.optional() });
