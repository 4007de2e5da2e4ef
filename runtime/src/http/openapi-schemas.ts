import { conditionGroupSchema } from '@lockstep/schema';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

/**
 * The document's schema components, one set per direction: the same zod
 * schema reads differently as a request (a field with a default may be left
 * out) and as an answer (it is always there), so each is converted with
 * z.toJSONSchema's `io` for its side. Cycles (the condition tree) need a
 * name to refer to, and are named up front.
 */
export class SchemaComponents {
  private readonly registry = z.registry<{ id: string }>();
  private readonly names = new Map<z.ZodType, string>();

  constructor(private readonly io: 'input' | 'output') {
    this.ref(conditionGroupSchema, io === 'input' ? 'ConditionGroupInput' : 'ConditionGroup');
  }

  /** A reference to `schema`, named `name` unless it was named before. */
  ref(schema: z.ZodType, name: string): JsonSchema {
    let id = this.names.get(schema);
    if (id === undefined) {
      id = name;
      this.names.set(schema, id);
      this.registry.add(schema, { id });
    }
    return { $ref: `${COMPONENTS}${id}` };
  }

  /** Every component, as OpenAPI 3.1's JSON Schema (2020-12) with refs between components. */
  schemas(): Record<string, JsonSchema> {
    const { schemas } = z.toJSONSchema(this.registry, { target: 'draft-2020-12', io: this.io, uri: (id) => `${COMPONENTS}${id}` });
    return Object.fromEntries(Object.entries(schemas).map(([id, { $id: _id, $schema: _dialect, ...schema }]) => [id, schema]));
  }
}

/** One parameter's schema, inline: parameters are scalars, with nothing to refer to. */
export function inlineSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  return rest;
}
