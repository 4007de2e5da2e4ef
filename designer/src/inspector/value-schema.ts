import type { JsonSchema } from './field-kind';

/** Of a choice of forms (a channel is a log, a webhook or an email), the one whose fixed fields the value has; the first when none fit yet. */
function formOf(schema: JsonSchema | undefined, value: unknown): JsonSchema | undefined {
  const forms = schema?.anyOf ?? schema?.oneOf;
  if (forms === undefined) return schema;
  const fits = (form: JsonSchema) =>
    Object.entries(form.properties ?? {}).every(([key, property]) => !('const' in property) || (typeof value === 'object' && value !== null && (value as Record<string, unknown>)[key] === property.const));
  return forms.find(fits) ?? forms[0];
}

/** What a field of an object must be, where its schema says. */
export function fieldSchema(schema: JsonSchema | undefined, key: string): JsonSchema | undefined {
  const additional = schema?.additionalProperties;
  return schema?.properties?.[key] ?? (typeof additional === 'object' ? additional : undefined);
}

/** What an item of a list must be, in the form that fits the item as it is. */
export function itemSchema(schema: JsonSchema | undefined, item: unknown): JsonSchema | undefined {
  return formOf(schema?.items, item);
}

/** The name a new field gets: the first field the schema names that the value lacks (required ones first), else field_<n>. */
export function nextFieldName(schema: JsonSchema | undefined, value: Record<string, unknown>): string {
  const form = formOf(schema, value);
  const named = [...(form?.required ?? []), ...Object.keys(form?.properties ?? {})];
  const missing = named.find((key) => !(key in value));
  if (missing !== undefined) return missing;
  let n = Object.keys(value).length + 1;
  while (`field_${n}` in value) n += 1;
  return `field_${n}`;
}
