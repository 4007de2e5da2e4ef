import { z } from 'zod';
import { defineNode } from '../node-definition.js';

/*
 * The Remote Tasks actions, which the flows an activation generates run: they
 * read the remote task record that links a local record with a remote
 * system, and apply the definition's field rules to what crosses.
 */

const payload = z.record(z.string(), z.unknown()).meta({ description: 'The captured or received object, usually inputs.payload.' });
const definition = z
  .string()
  .min(1)
  .optional()
  .meta({ description: "The remote task definition, by its sys_id on the provider; an activation's flows name theirs. Unset: the one the payload's capture definition was generated for, or the one a received payload names." });
const remoteSystem = z.string().min(1).optional().meta({ description: 'The remote system, by sys_id; defaults to the one the run is for.', lookup: 'remote_system' });

export const prepareRemoteTaskPayload = defineNode({
  type: 'remoteTask.preparePayload',
  label: 'Prepare remote task payload',
  category: 'Sync',
  description:
    "Finds the record's remote task with the remote system (on a consumer, raising one when a trigger of the activation matches) and keeps of the captured payload only what the field rules let cross, under the definition's field names. Send is false when the record has no open remote task for this definition.",
  ports: ['next'],
  canFail: true,
  // Raising a task asks the provider first, as a Send step does.
  timeoutMs: 30_000,
  params: z.object({ payload, definition, remoteSystem }),
  outputs: z.object({
    send: z.boolean(),
    payload: z.record(z.string(), z.unknown()),
    remoteTask: z.string().nullable(),
    reason: z.string(),
  }),
});

export const applyRemoteTaskPayload = defineNode({
  type: 'remoteTask.applyPayload',
  label: 'Apply remote task payload',
  category: 'Sync',
  description:
    "Applies a received remote task payload under the field rules: the first one makes the record (in the definition's target table), its remote task and its correlation; later ones update the record; a close or a delete closes the remote task and stops syncing, never deleting the record.",
  ports: ['next'],
  canFail: true,
  // Several record writes, each waiting its turn on a busy instance.
  timeoutMs: 30_000,
  params: z.object({ payload, definition, remoteSystem }),
  outputs: z.object({
    table: z.string(),
    record: z.string().nullable(),
    correlation: z.string().nullable(),
    remoteTask: z.string().nullable(),
    outcome: z.enum(['created', 'updated', 'closed', 'ignored']),
  }),
});

export const remoteTaskNodes = [prepareRemoteTaskPayload, applyRemoteTaskPayload];
