import type { JsonSchema } from './field-kind';

/** The kinds of value a row of the object editor holds, as the designer picks them. */
export const valueKinds = ['text', 'number', 'true/false', 'empty', 'fields', 'list'] as const;
export type ValueKind = (typeof valueKinds)[number];

export function kindOf(value: unknown): ValueKind {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'fields';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'true/false';
  return 'text';
}

/** The value turned into another kind, keeping what carries over (text "5" becomes the number 5). */
export function convert(value: unknown, kind: ValueKind): unknown {
  switch (kind) {
    case 'text':
      return value === null || typeof value === 'object' ? '' : String(value);
    case 'number':
      return Number.isFinite(Number(value)) && value !== '' ? Number(value) : 0;
    case 'true/false':
      return value === true || value === 'true';
    case 'empty':
      return null;
    case 'fields':
      return {};
    case 'list':
      return [];
  }
}

/**
 * The value a new item or field starts as, from the schema it must fit: the
 * first form of a choice, the required fields of an object, a type's blank.
 * Anything the schema leaves open starts as text, which takes data pills.
 */
export function blankOf(schema: JsonSchema | undefined): unknown {
  if (schema === undefined) return '';
  if ('const' in schema) return schema.const;
  if (schema.enum !== undefined) return schema.enum[0];
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice !== undefined) return blankOf(choice[0]);
  switch (schema.type) {
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((key) => [key, blankOf(schema.properties?.[key])]));
    default:
      return '';
  }
}
