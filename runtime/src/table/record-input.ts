import type { FieldDefinition } from '@lockstep/schema';
import type { ResolvedTable } from '../dictionary/dictionary.js';
import { badRequest, type ProblemFinding } from '../http/problem.js';
import { idPattern } from '@lockstep/store';
import { parseDateTime } from '../time.js';

/** A record write after validation against the dictionary. */
export interface RecordWrite {
  /** Values in their stored types; null clears a field. */
  values: Record<string, unknown>;
  /** The text of a new entry for each journal field written. */
  journal: Record<string, string>;
}

type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const ok = (value: unknown): Coerced => ({ ok: true, value });
const fail = (message: string): Coerced => ({ ok: false, message });

/**
 * Clients of the original send every value as a string ("2", "true"), and
 * newer clients send typed JSON; both are accepted and stored typed.
 */
function coerce(field: FieldDefinition, raw: unknown): Coerced {
  if (raw === null || raw === '') return ok(null);
  const scalar = typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean';
  if (!scalar) return fail(`expected a ${field.type} value, got ${Array.isArray(raw) ? 'an array' : typeof raw}`);
  const text = String(raw);
  switch (field.type) {
    case 'string':
      return field.maxLength !== undefined && text.length > field.maxLength
        ? fail(`is ${text.length} characters long; the most is ${field.maxLength}`)
        : ok(text);
    case 'integer':
      return /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? ok(Number(text)) : fail(`expected a whole number, got ${JSON.stringify(raw)}`);
    case 'boolean':
      if (text === 'true' || text === '1') return ok(true);
      if (text === 'false' || text === '0') return ok(false);
      return fail(`expected true or false, got ${JSON.stringify(raw)}`);
    case 'choice':
      return field.choices.some((choice) => choice.value === text)
        ? ok(text)
        : fail(`${JSON.stringify(raw)} is not a choice; use one of ${field.choices.map((choice) => choice.value).join(', ')}`);
    case 'reference':
      return idPattern.test(text) ? ok(text) : fail(`expected the sys_id (32 hex characters) of a ${field.reference} record`);
    case 'date_time': {
      const stored = parseDateTime(text);
      return stored === undefined ? fail(`expected a date-time as YYYY-MM-DD HH:mm:ss (UTC) or ISO 8601, got ${JSON.stringify(raw)}`) : ok(stored);
    }
    case 'journal':
      return typeof raw === 'string' ? ok(raw) : fail('expected the text of a new entry');
  }
}

export function readRecordWrite(body: unknown, table: ResolvedTable): RecordWrite {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('invalid-record', 'the body must be a JSON object of field names and values');
  }
  const findings: ProblemFinding[] = [];
  const write: RecordWrite = { values: {}, journal: {} };
  for (const [name, raw] of Object.entries(body)) {
    const field = table.fields.get(name);
    if (!field) {
      findings.push({ path: name, message: `table ${table.name} has no field ${name}` });
      continue;
    }
    if (field.readOnly) {
      findings.push({ path: name, message: `${name} is set by the system and cannot be written` });
      continue;
    }
    const coerced = coerce(field, raw);
    if (!coerced.ok) findings.push({ path: name, message: coerced.message });
    else if (field.type !== 'journal') write.values[name] = coerced.value;
    // An empty journal write adds no entry, as in the original.
    else if (typeof coerced.value === 'string' && coerced.value.trim() !== '') write.journal[name] = coerced.value;
  }
  if (findings.length > 0) {
    throw badRequest('invalid-record', `the ${table.name} record is not valid; see errors`, findings);
  }
  return write;
}
