import { correlationViewSchema as correlation } from '@lockstep/schema';
import { z } from 'zod';
import { defineNode } from '../node-definition.js';

/*
 * The Remote Process Sync actions. They are declared here so designers can
 * draw with them and graphs validate; the runtime implements them with the
 * sync machinery (queues, correlations, remote systems, attachments).
 */

const remoteSystem = z.string().min(1).meta({ description: 'The remote system, by sys_id; defaults to the one the run is for.', lookup: 'remote_system' });
const table = z.string().min(1).meta({ description: 'A table of this instance, e.g. incident.', lookup: 'table' });
const payload = z.record(z.string(), z.unknown()).meta({ description: 'The captured object, usually inputs.payload.' });
const attachment = z.object({
  key: z.string(),
  sha256: z.string(),
  file_name: z.string(),
  content_type: z.string(),
  size: z.number().int().min(0),
});

export const lookUpCorrelationByLocalId = defineNode({
  type: 'sync.lookupCorrelationByLocalId',
  label: 'Look up correlation by local id',
  category: 'Sync',
  description: 'Finds the correlation record with this local correlation id.',
  ports: ['next'],
  canFail: true,
  sideEffects: false,
  params: z.object({
    /** Null for a change received before any correlation exists: nothing is found. */
    localCorrelationId: z.string().min(1).nullable().meta({ description: 'The local correlation id; empty (null) before the first change of a record is applied.' }),
    remoteSystem: remoteSystem.optional(),
  }),
  outputs: z.object({ found: z.boolean(), correlation: correlation.nullable() }),
});

export const lookUpCorrelationByLocalRecord = defineNode({
  type: 'sync.lookupCorrelationByLocalRecord',
  label: 'Look up correlation by local record',
  category: 'Sync',
  description: 'Finds the correlation of a local record with a remote system.',
  ports: ['next'],
  canFail: true,
  sideEffects: false,
  params: z.object({ table, sys_id: z.string().min(1), remoteSystem: remoteSystem.optional() }),
  outputs: z.object({ found: z.boolean(), correlation: correlation.nullable() }),
});

export const createCorrelation = defineNode({
  type: 'sync.createCorrelation',
  label: 'Create correlation',
  category: 'Sync',
  description: 'Links a local record with a record on the remote system, generating the local correlation id.',
  ports: ['next'],
  canFail: true,
  params: z.object({
    table,
    sys_id: z.string().min(1),
    remoteCorrelationId: z.string().optional(),
    remoteSystem: remoteSystem.optional(),
  }),
  outputs: z.object({ correlation }),
});

export const updateCorrelationState = defineNode({
  type: 'sync.updateCorrelationState',
  label: 'Update correlation state',
  category: 'Sync',
  description: 'Makes a correlation active or inactive; an inactive one no longer syncs.',
  ports: ['next'],
  canFail: true,
  params: z.object({ correlation: z.string().min(1), state: z.enum(['active', 'inactive']) }),
  outputs: z.object({ correlation }),
});

export const sendCapturedPayload = defineNode({
  type: 'sync.sendPayload',
  label: 'Send captured payload',
  category: 'Sync',
  description: "Sends the payload to the remote system's inbound API, signed, and returns its answer.",
  ports: ['next'],
  canFail: true,
  timeoutMs: 30_000,
  params: z.object({
    payload,
    remoteSystem: remoteSystem.optional(),
    attachments: z
      .array(attachment)
      .optional()
      .meta({ description: "Attachment metadata to send in place of the payload's own, usually Get attachment metadata's output." }),
  }),
  outputs: z.object({
    accepted: z.boolean(),
    envelopeId: z.string(),
    dryRun: z.boolean().optional().meta({ description: 'True in a dry run (a test run with dry_run): nothing was sent.' }),
    envelope: z.record(z.string(), z.unknown()).optional().meta({ description: 'In a dry run, the envelope this step would have sent.' }),
  }),
});

export const transformPayload = defineNode({
  type: 'sync.transformPayload',
  label: 'Transform payload',
  category: 'Sync',
  description: 'Maps fields of a received payload to local field values.',
  ports: ['next'],
  canFail: true,
  sideEffects: false,
  params: z.object({
    payload,
    mappings: z
      .array(
        z.object({
          source: z.string().min(1),
          target: z.string().min(1),
          /** Maps source values to local ones, e.g. a remote state to a local state. */
          valueMap: z.record(z.string(), z.string()).optional(),
        }),
      )
      .meta({ description: 'Source field in the payload, target field here, and an optional value map.' }),
  }),
  outputs: z.object({ values: z.record(z.string(), z.unknown()) }),
});

export const getAttachmentMetadata = defineNode({
  type: 'sync.getAttachmentMetadata',
  label: 'Get attachment metadata',
  category: 'Sync',
  description: "Lists a record's attachments with their synthetic keys for a remote system: those it has not been offered yet, or all of them.",
  ports: ['next'],
  canFail: true,
  // What it records (which attachments a queue item offered) comes out the same when it runs again.
  sideEffects: false,
  params: z.object({
    table,
    sys_id: z.string().min(1),
    remoteSystem: remoteSystem.optional(),
    send: z
      .enum(['changes', 'all'])
      .default('changes')
      .meta({ description: 'changes: only attachments not offered to the remote system before (all of them the first time); all: every attachment.' }),
  }),
  outputs: z.object({ attachments: z.array(attachment) }),
});

export const identifyNewAttachments = defineNode({
  type: 'sync.identifyNewAttachments',
  label: 'Identify new attachments',
  category: 'Sync',
  description: 'Compares received attachment metadata by hash and file name with what is here, and lists what is missing.',
  ports: ['next'],
  canFail: true,
  params: z.object({ attachments: z.array(attachment), table, sys_id: z.string().min(1) }),
  outputs: z.object({ missing: z.array(attachment) }),
});

export const requestAttachments = defineNode({
  type: 'sync.requestAttachments',
  label: 'Request attachments',
  category: 'Sync',
  description: 'Asks the originating system to push the missing attachments to the correlation record, and waits until it says they are complete.',
  ports: ['next'],
  canFail: true,
  // The originator pushes the files while this step waits: large files take a while.
  timeoutMs: 600_000,
  params: z.object({
    attachments: z.array(attachment),
    correlation: z.string().min(1).meta({ description: 'The correlation record, by sys_id, that the attachments are pushed to.' }),
    remoteSystem: remoteSystem.optional(),
  }),
  outputs: z.object({
    requested: z.number().int(),
    /** Staged on the correlation record, ready for Move attachments. */
    received: z.number().int(),
    refused: z.array(z.object({ file_name: z.string(), reason: z.string() })),
  }),
});

export const moveAttachments = defineNode({
  type: 'sync.moveAttachments',
  label: 'Move attachments',
  category: 'Sync',
  description: 'Moves attachments received on the correlation record to the target record.',
  ports: ['next'],
  canFail: true,
  params: z.object({ correlation: z.string().min(1), table, sys_id: z.string().min(1) }),
  outputs: z.object({ moved: z.number().int() }),
});

export const setRemoteSystemState = defineNode({
  type: 'sync.setRemoteSystemState',
  label: 'Set remote system state',
  category: 'Sync',
  description: "Turns a remote system's inbound or outbound direction off, or marks it in error. Only Validate and Activate makes it active again.",
  ports: ['next'],
  canFail: true,
  params: z.object({
    remoteSystem: remoteSystem.optional(),
    direction: z.enum(['inbound', 'outbound']),
    state: z.enum(['disabled', 'error']),
  }),
  outputs: z.object({ state: z.string() }),
});

/** A queue item, as an error subflow receives the one that failed (inputs.item). */
const queueItemParams = z.object({
  queue: z.enum(['inbound', 'outbound']).meta({ description: 'The queue the item is in: inputs.item.queue in an error subflow.' }),
  item: z.string().min(1).meta({ description: 'The queue item, by id: inputs.item.id in an error subflow.' }),
});

export const skipQueueItem = defineNode({
  type: 'sync.skipQueueItem',
  label: 'Skip queue item',
  category: 'Sync',
  description: "Skips a ready or failed queue item, as an admin's Skip does, so the later changes of its record go on without it.",
  ports: ['next'],
  canFail: true,
  params: queueItemParams,
  outputs: z.object({ status: z.string() }),
});

export const reprocessQueueItem = defineNode({
  type: 'sync.reprocessQueueItem',
  label: 'Reprocess queue item',
  category: 'Sync',
  description: 'Processes a queue item again: a failed one is retried; the last change of a record is sent (outbound, as a new delivery) or applied (inbound) again.',
  ports: ['next'],
  canFail: true,
  params: queueItemParams,
  outputs: z.object({ status: z.string() }),
});

export const syncNodes = [
  lookUpCorrelationByLocalId,
  lookUpCorrelationByLocalRecord,
  createCorrelation,
  updateCorrelationState,
  sendCapturedPayload,
  transformPayload,
  getAttachmentMetadata,
  identifyNewAttachments,
  requestAttachments,
  moveAttachments,
  setRemoteSystemState,
  skipQueueItem,
  reprocessQueueItem,
];
