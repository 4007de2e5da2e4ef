import { z } from 'zod';
import { defineNode } from '../node-definition.js';

const table = z.string().min(1).meta({ description: 'A table from the dictionary, e.g. incident.', lookup: 'table' });
const values = z.record(z.string(), z.unknown()).meta({ description: 'Field name to value; values may be data pills.' });
/** For a table named by a data pill, such as one a remote system sends: what it may come to, as the step refuses any other. */
const tables = z
  .array(z.string().min(1))
  .optional()
  .meta({ description: 'The tables this step may write, e.g. ["incident"]; it fails on any other, which matters when the table is a data pill from outside. Unset or empty: any table.' });
const record = z.record(z.string(), z.unknown());
const sysId = z.string().regex(/^[0-9a-f]{32}$/, 'a sys_id is 32 hex characters');

export const lookUpRecord = defineNode({
  type: 'record.lookup',
  label: 'Look up record',
  category: 'Records',
  description: 'Finds the first record matching an encoded query.',
  ports: ['next'],
  canFail: true,
  sideEffects: false,
  params: z.object({
    table,
    query: z.string().default('').meta({ description: 'An encoded query, e.g. number={{ inputs.number }}^active=true.' }),
  }),
  outputs: z.object({ found: z.boolean(), record: record.nullable() }),
});

export const createRecord = defineNode({
  type: 'record.create',
  label: 'Create record',
  category: 'Records',
  description: 'Creates a record. A resumed run never creates it twice.',
  ports: ['next'],
  canFail: true,
  params: z.object({ table, tables, values: values.default({}) }),
  outputs: z.object({ record, sys_id: z.string() }),
});

export const updateRecord = defineNode({
  type: 'record.update',
  label: 'Update record',
  category: 'Records',
  description: 'Updates fields of a record; journal fields get one entry however often the step is resumed.',
  ports: ['next'],
  canFail: true,
  params: z.object({ table, tables, sys_id: sysId, values }),
  outputs: z.object({ record }),
});

export const deleteRecord = defineNode({
  type: 'record.delete',
  label: 'Delete record',
  category: 'Records',
  description: 'Deletes a record.',
  ports: ['next'],
  canFail: true,
  params: z.object({ table, sys_id: sysId }),
  outputs: z.object({ deleted: z.boolean() }),
});

export const recordNodes = [lookUpRecord, createRecord, updateRecord, deleteRecord];
