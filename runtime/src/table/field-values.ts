import type { FieldDefinition } from '@lockstep/schema';
import { parseDateTime } from '../time.js';

/** Journal fields hold entry lists, not comparable values, so no query value is ever coerced for one. */
export type QueryableField = Exclude<FieldDefinition, { type: 'journal' }>;

export type QueryValue = { ok: true; value: string | number | boolean } | { ok: false; message: string };

/**
 * Turns the text of an encoded-query value into the type the field is stored
 * as, so that `sys_mod_count>2` compares numbers and `active=true` matches a
 * stored boolean. Unlike a write, a query may name a value no record could
 * hold (a choice that is not declared): it simply matches nothing.
 */
export function coerceQueryValue(field: QueryableField, text: string): QueryValue {
  switch (field.type) {
    case 'string':
    case 'choice':
    case 'reference':
      return { ok: true, value: text };
    case 'integer':
      // Decimals are fine in a comparison (`sys_mod_count<2.5`) even though none is stored.
      return /^-?\d+(\.\d+)?$/.test(text)
        ? { ok: true, value: Number(text) }
        : { ok: false, message: `"${text}" is not a number; ${field.name} is an integer field` };
    case 'boolean':
      if (text === 'true' || text === '1') return { ok: true, value: true };
      if (text === 'false' || text === '0') return { ok: true, value: false };
      return { ok: false, message: `"${text}" is not a boolean; ${field.name} takes true or false (or 1 or 0)` };
    case 'date_time': {
      const stored = parseDateTime(text);
      return stored === undefined
        ? {
            ok: false,
            message: `"${text}" is not a date; ${field.name} takes YYYY-MM-DD HH:mm:ss (UTC), YYYY-MM-DD or ISO 8601 with an offset (send + as %2B)`,
          }
        : { ok: true, value: stored };
    }
  }
}
