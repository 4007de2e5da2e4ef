import type { JsonSchema } from './field-kind';

/** Deep enough for a correlation's fields or a payload's metadata, short of walking a schema that refers to itself. */
const MAX_DEPTH = 4;

/** An object schema inside `schema`, seeing through "or null" (a lookup's record or correlation is null when nothing is found). */
function objectIn(schema: JsonSchema): JsonSchema | undefined {
  if (schema.type === 'object' && schema.properties !== undefined) return schema;
  return (schema.anyOf ?? schema.oneOf)?.map(objectIn).find((found) => found !== undefined);
}

/** Every field path a schema declares, parents before their fields: `correlation`, `correlation.state`, … */
export function schemaPaths(schema: JsonSchema, depth = 0): string[] {
  const object = objectIn(schema);
  if (object === undefined || depth === MAX_DEPTH) return [];
  return Object.entries(object.properties ?? {}).flatMap(([key, property]) => [key, ...schemaPaths(property, depth + 1).map((path) => `${key}.${path}`)]);
}
