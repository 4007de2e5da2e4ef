import { z } from 'zod';

/**
 * The table dictionary: which tables exist, how they inherit, and the typed
 * fields that record writes are validated against. The runtime ships the
 * standard tables; the designer reads the same shapes for its field pickers.
 */

export const tableName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'a table name is lower case letters, digits and underscores');

/** A record's id: 32 lower-case hex characters. */
export const sysId = z.string().regex(/^[0-9a-f]{32}$/, 'a sys_id is 32 hex characters');

export const fieldName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'a field name is lower case letters, digits and underscores');

/**
 * A value given to a new record that does not set the field: a literal, or
 * one worked out at insert time (the current time, the current user).
 */
export const fieldDefaultSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.object({ dynamic: z.enum(['now', 'current_user']) }),
]);

export type FieldDefault = z.infer<typeof fieldDefaultSchema>;

const fieldBase = {
  name: fieldName,
  label: z.string().min(1),
  /** System fields are written by the runtime only. @default false */
  readOnly: z.boolean().optional(),
  default: fieldDefaultSchema.optional(),
};

export const choiceSchema = z.object({ value: z.string(), label: z.string() });

export const fieldDefinitionSchema = z.discriminatedUnion('type', [
  z.object({ ...fieldBase, type: z.literal('string'), maxLength: z.number().int().positive().optional() }),
  z.object({ ...fieldBase, type: z.literal('integer') }),
  z.object({ ...fieldBase, type: z.literal('boolean') }),
  z.object({ ...fieldBase, type: z.literal('choice'), choices: z.array(choiceSchema).min(1) }),
  z.object({ ...fieldBase, type: z.literal('reference'), reference: tableName }),
  /** Append-only history: each write adds an entry, reads return all entries, newest first. */
  z.object({ ...fieldBase, type: z.literal('journal') }),
  /** Stored as `YYYY-MM-DD HH:mm:ss` in UTC, so string order is time order. */
  z.object({ ...fieldBase, type: z.literal('date_time') }),
]);

export type FieldDefinition = z.infer<typeof fieldDefinitionSchema>;
export type FieldType = FieldDefinition['type'];

export const tableDefinitionSchema = z.object({
  name: tableName,
  label: z.string().min(1),
  /** The parent table; a child inherits every parent field and may redefine one (e.g. its own state choices). */
  extends: tableName.optional(),
  /** Prefix for the generated `number` field, e.g. INC. Inherited tables without one use the parent's. */
  numberPrefix: z.string().regex(/^[A-Z]+$/).optional(),
  /** Roles that may read and write records; `admin` always may. Inherited when absent. */
  roles: z.object({ read: z.array(z.string()), write: z.array(z.string()) }).optional(),
  fields: z.array(fieldDefinitionSchema),
});

export type TableDefinition = z.infer<typeof tableDefinitionSchema>;

/** One journal entry as stored and as returned by the Table API. */
export const journalEntrySchema = z.object({
  value: z.string(),
  created_by: z.string(),
  created_on: z.string(),
});

export type JournalEntry = z.infer<typeof journalEntrySchema>;
