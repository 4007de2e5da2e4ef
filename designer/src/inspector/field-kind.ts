import type { AnyNodeDefinition } from '@lockstep/flow/catalog';
import { z } from 'zod';
import { schemaPaths } from './schema-paths';

/** The slice of JSON Schema the forms read. */
export interface JsonSchema {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  /** Set in a node's params schema (`.meta({ lookup })`) where the value names a live record of the instance. */
  lookup?: LookupSource;
}

/** What a lookup param offers to pick from: the dictionary's tables, or the remote systems configured here. */
export type LookupSource = 'table' | 'remote_system';

/** Which widget edits a param. */
export type FieldKind =
  | { kind: 'text' }
  | { kind: 'number' }
  | { kind: 'select'; options: string[] }
  | { kind: 'condition' }
  | { kind: 'lookup'; source: LookupSource }
  /** Objects and lists: nested rows, a whole value from one data pill, or JSON. */
  | { kind: 'structured'; schema: JsonSchema };

export interface ParamField {
  key: string;
  required: boolean;
  description: string;
  field: FieldKind;
  /** The schema's default, which the engine applies when the param is left out. */
  defaultValue: unknown;
}

/** Converting a schema costs enough to show when a large graph re-renders, and a node type's schemas never change. */
function perType<T>(derive: (definition: AnyNodeDefinition) => T): (definition: AnyNodeDefinition) => T {
  const cache = new Map<string, T>();
  return (definition) => {
    if (!cache.has(definition.type)) cache.set(definition.type, derive(definition));
    return cache.get(definition.type) as T;
  };
}

/** A node type's params as form fields, from its zod schema by way of JSON Schema. */
export const paramFields = perType((definition): ParamField[] => {
  const schema = z.toJSONSchema(definition.params, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([key, property]) => {
    const resolved = resolve(property, schema.$defs ?? {});
    return { key, required: required.has(key), description: property.description ?? resolved.description ?? '', field: fieldKind(resolved), defaultValue: property.default };
  });
  return fields;
});

function resolve(property: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  const name = property.$ref?.replace('#/$defs/', '');
  return name === undefined ? property : (defs[name] ?? property);
}

function fieldKind(property: JsonSchema): FieldKind {
  if (property.enum?.every((choice) => typeof choice === 'string')) return { kind: 'select', options: property.enum as string[] };
  if (property.type === 'object' && property.properties?.match && property.properties.conditions) return { kind: 'condition' };
  if (property.type === 'number' || property.type === 'integer') return { kind: 'number' };
  if (property.type === 'string' && property.lookup !== undefined) return { kind: 'lookup', source: property.lookup };
  if (property.type === 'string') return { kind: 'text' };
  return { kind: 'structured', schema: property };
}

/** A new step's params: each one that has a default, set to it, so the form starts where the engine would. */
export function defaultParams(definition: AnyNodeDefinition): Record<string, unknown> {
  return Object.fromEntries(paramFields(definition).flatMap((field) => (field.defaultValue === undefined ? [] : [[field.key, structuredClone(field.defaultValue)]])));
}

/** The outputs a node type declares, nested fields too, for data pills such as steps.<id>.correlation.state. */
export const outputPaths = perType((definition): string[] => schemaPaths(z.toJSONSchema(definition.outputs, { io: 'output', unrepresentable: 'any' }) as JsonSchema));
