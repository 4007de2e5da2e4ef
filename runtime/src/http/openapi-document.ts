import { domainName, problemSchema } from '@lockstep/schema';
import type { z } from 'zod';
import { binary, PROBLEM_JSON, type Operation, type ResponseSpec } from './openapi-operation.js';
import { inlineSchema, SchemaComponents } from './openapi-schemas.js';

type Json = Record<string, unknown>;

/** `get /api/lockstep/v1/users/{userId}` → `getLockstepV1UsersByUserId`: unique, as method and path are. */
export function operationId({ method, path }: Pick<Operation, 'method' | 'path'>): string {
  const words = path
    .replace(/^\/api\//, '/')
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => (segment.startsWith('{') ? ['by', segment.slice(1, -1)] : segment.split(/[-_.]/)));
  return method + words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

/** The working-domain header every authenticated call may send (the admin console's domain picker). */
const domainHeader = {
  name: 'X-Lockstep-Domain',
  in: 'header',
  required: false,
  description: "Work in this domain of the caller's tree instead of the caller's own",
  schema: inlineSchema(domainName),
};

function parameters(where: 'path' | 'query' | 'header', object: z.ZodObject | undefined): Json[] {
  return Object.entries(object?.shape ?? {}).map(([name, field]) => {
    const { description, ...schema } = inlineSchema(field);
    // A field the schema fills in or leaves out when missing is optional.
    const required = where === 'path' || !field.safeParse(undefined).success;
    return { name, in: where, required, ...(description === undefined ? {} : { description }), schema };
  });
}

const binaryContent = (type: string) => ({ [type]: { schema: { type: 'string', format: 'binary' } } });

function requestBody(op: Operation, id: string, inputs: SchemaComponents): Json | undefined {
  if (op.body === undefined) return undefined;
  if (op.body === binary) return { required: true, description: "The file's bytes; Content-Type is the file's type", content: binaryContent('application/octet-stream') };
  return { required: op.bodyOptional !== true, content: { 'application/json': { schema: inputs.ref(op.body, `${id}.body`) } } };
}

function response(status: number, spec: ResponseSpec, id: string, outputs: SchemaComponents): Json {
  const headers = Object.entries(spec.headers ?? {}).map(([name, header]) => [name, { description: header.description, schema: inlineSchema(header.schema) }]);
  const links = (spec.links ?? []).map((link) => [operationId(link), { operationId: operationId(link), parameters: link.parameters }]);
  const content =
    spec.body === binary
      ? binaryContent('*/*')
      : spec.body !== undefined
        ? { 'application/json': { schema: outputs.ref(spec.body, `${id}.${status}`) } }
        : status >= 400
          ? { [PROBLEM_JSON]: { schema: outputs.ref(problemSchema, 'Problem') } }
          : undefined;
  return {
    description: spec.description,
    ...(headers.length > 0 ? { headers: Object.fromEntries(headers) } : {}),
    ...(content ? { content } : {}),
    ...(links.length > 0 ? { links: Object.fromEntries(links) } : {}),
  };
}

function operationObject(op: Operation, inputs: SchemaComponents, outputs: SchemaComponents): Json {
  const id = operationId(op);
  const authenticated = op.authenticated !== false;
  const responses = Object.fromEntries(Object.entries(op.responses).map(([status, spec]) => [status, response(Number(status), spec as ResponseSpec, id, outputs)]));
  const body = requestBody(op, id, inputs);
  return {
    operationId: id,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description === undefined ? {} : { description: op.description }),
    ...(authenticated ? {} : { security: [] }),
    parameters: [...parameters('path', op.params), ...parameters('query', op.query), ...parameters('header', op.headers), ...(authenticated ? [domainHeader] : [])],
    ...(body === undefined ? {} : { requestBody: body }),
    responses: {
      ...responses,
      ...(authenticated ? { 401: { $ref: '#/components/responses/Unauthenticated' } } : {}),
      default: { $ref: '#/components/responses/Problem' },
    },
  };
}

/** The OpenAPI 3.1 document of `operations`, its schemas converted from the zod schemas the runtime validates with. */
export function openApiDocument(operations: readonly Operation[]): Json {
  const inputs = new SchemaComponents('input');
  const outputs = new SchemaComponents('output');
  const paths: Record<string, Json> = {};
  for (const op of operations) paths[op.path] = { ...paths[op.path], [op.method]: operationObject(op, inputs, outputs) };
  const problem = (description: string) => ({ description, content: { [PROBLEM_JSON]: { schema: outputs.ref(problemSchema, 'Problem') } } });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lockstep API',
      version: 'v1',
      description:
        'The Table and Attachment APIs in the original shapes, the Lockstep admin API, and the peer API instances call each other on. Every error is RFC 9457 problem details (application/problem+json).',
    },
    security: [{ basicAuth: [] }, { bearerAuth: [] }],
    tags: [...new Set(operations.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        basicAuth: { type: 'http', scheme: 'basic', description: 'A user name and password' },
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (lst_…) from POST /api/lockstep/v1/users/me/tokens' },
      },
      responses: {
        Problem: problem('What went wrong, and what to do about it'),
        Unauthenticated: problem('No credentials, or wrong ones; a request marked X-Requested-With gets a Bearer challenge instead of Basic, so no browser popup'),
      },
      schemas: { ...inputs.schemas(), ...outputs.schemas() },
    },
  };
}
