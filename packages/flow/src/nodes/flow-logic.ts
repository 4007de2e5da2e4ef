import { conditionGroupSchema, identifier } from '@lockstep/schema';
import { z } from 'zod';
import { defineNode } from '../node-definition.js';

/** Where every run begins; the subflow's inputs are available from here on as `inputs`. */
export const start = defineNode({
  type: 'flow.start',
  label: 'Start',
  category: 'Flow logic',
  description: 'Where the subflow begins. Its inputs are available to every later node as inputs.<name>.',
  ports: ['next'],
  canFail: false,
  sideEffects: false,
  params: z.object({}),
  outputs: z.object({}),
});

export const end = defineNode({
  type: 'flow.end',
  label: 'End',
  category: 'Flow logic',
  description: "Ends the run and sets the subflow's outputs.",
  ports: [],
  canFail: false,
  sideEffects: false,
  params: z.object({
    outputs: z.record(identifier, z.unknown()).default({}).meta({ description: 'Output name to value; values may be data pills.' }),
  }),
  outputs: z.object({ outputs: z.record(z.string(), z.unknown()) }),
});

export const ifCondition = defineNode({
  type: 'flow.if',
  label: 'If',
  category: 'Flow logic',
  description: 'Takes the true branch when the condition holds, else the false branch.',
  ports: ['true', 'false'],
  canFail: false,
  sideEffects: false,
  params: z.object({
    condition: conditionGroupSchema.meta({ description: 'Fields are paths into the run data, e.g. inputs.payload.state.' }),
  }),
  outputs: z.object({ result: z.boolean() }),
});

export const forEach = defineNode({
  type: 'flow.forEach',
  label: 'For each',
  category: 'Flow logic',
  description: 'Runs the each branch once per item, then takes the done branch. The each branch returns here with an edge back to this node.',
  ports: ['each', 'done'],
  canFail: true,
  sideEffects: false,
  paramsOnce: true,
  params: z.object({
    items: z.array(z.unknown()).meta({ description: 'The list to go through, usually a data pill.' }),
  }),
  outputs: z.object({ item: z.unknown(), index: z.number().int(), count: z.number().int() }),
});

export const setVariables = defineNode({
  type: 'flow.setVariables',
  label: 'Set variables',
  category: 'Flow logic',
  description: 'Sets flow variables, read later as vars.<name>.',
  ports: ['next'],
  canFail: false,
  sideEffects: false,
  params: z.object({
    variables: z.record(identifier, z.unknown()).meta({ description: 'Variable name to value; values may be data pills.' }),
  }),
  outputs: z.object({ variables: z.record(z.string(), z.unknown()) }),
});

export const callSubflow = defineNode({
  type: 'flow.callSubflow',
  label: 'Call subflow',
  category: 'Flow logic',
  description: 'Runs the latest published version of another subflow and waits for its outputs.',
  ports: ['next'],
  canFail: true,
  timeoutMs: 30_000,
  params: z.object({
    subflow: z.string().min(1).meta({ description: 'The id of the subflow to call.' }),
    inputs: z.record(identifier, z.unknown()).default({}),
  }),
  outputs: z.object({ outputs: z.record(z.string(), z.unknown()), contextId: z.string() }),
});

export const wait = defineNode({
  type: 'flow.wait',
  label: 'Wait',
  category: 'Flow logic',
  description: 'Pauses the run for a duration or until a time. The wait is kept in the database, so it survives restarts.',
  ports: ['next'],
  canFail: false,
  params: z
    .object({
      seconds: z.number().min(0).max(31_536_000).optional(),
      until: z.string().optional().meta({ description: 'A date-time, ISO 8601 or YYYY-MM-DD HH:mm:ss (UTC).' }),
    })
    .refine((params) => (params.seconds === undefined) !== (params.until === undefined), 'give either seconds or until'),
  outputs: z.object({ resumedAt: z.string() }),
});

export const log = defineNode({
  type: 'flow.log',
  label: 'Log',
  category: 'Flow logic',
  description: "Writes a message to the runtime's log and to the step record.",
  ports: ['next'],
  canFail: false,
  params: z.object({
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    message: z.string(),
  }),
  outputs: z.object({ message: z.string() }),
});

export const raiseError = defineNode({
  type: 'flow.raiseError',
  label: 'Raise error',
  category: 'Flow logic',
  description: 'Fails the run with a message, like an error in any action.',
  ports: [],
  canFail: false,
  params: z.object({ message: z.string().min(1) }),
  outputs: z.object({}),
});

export const flowLogicNodes = [start, end, ifCondition, forEach, setVariables, callSubflow, wait, log, raiseError];
