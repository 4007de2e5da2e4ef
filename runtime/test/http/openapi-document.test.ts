import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

type Json = Record<string, unknown>;

/** Every `$ref` anywhere under `node`. */
function refs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refs);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refs(value)));
}

/** What a JSON pointer (`#/components/schemas/Problem`) points at in `document`. */
function resolve(document: Json, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Json)[key.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined), document);
}

describe('GET /api/lockstep/v1/openapi.json', () => {
  let runtime: TestRuntime;
  let document: Json;

  beforeAll(async () => {
    runtime = await startTestRuntime();
    const response = await runtime.call('GET', '/api/lockstep/v1/openapi.json', { auth: null });
    expect(response.status).toBe(200);
    document = (await response.json()) as Json;
  });
  afterAll(() => runtime?.dispose());

  it('is an OpenAPI 3.1 document anyone may read, with Basic and Bearer for everything else', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.security).toEqual([{ basicAuth: [] }, { bearerAuth: [] }]);
    const schemes = (document.components as Json).securitySchemes as Json;
    expect(schemes).toMatchObject({ basicAuth: { type: 'http', scheme: 'basic' }, bearerAuth: { type: 'http', scheme: 'bearer' } });
    const paths = document.paths as Record<string, Record<string, Json>>;
    expect(paths['/api/lockstep/v1/openapi.json']?.get?.security).toEqual([]);
    expect(paths['/api/now/table/{table}/{sys_id}']?.get?.security).toBeUndefined();
  });

  it('refers only to what it holds', () => {
    const dangling = [...new Set(refs(document))].filter((ref) => resolve(document, ref) === undefined);
    expect(dangling).toEqual([]);
  });

  it('answers every error as problem+json, and names the signature headers of the peer API', () => {
    const paths = document.paths as Record<string, Record<string, { responses: Json; parameters: { name: string; in: string; required: boolean }[] }>>;
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.responses.default, `${method} ${path}`).toEqual({ $ref: '#/components/responses/Problem' });
      }
    }
    const inbound = paths['/api/sync/v1/inbound']?.post;
    expect(inbound?.parameters.filter((parameter) => parameter.in === 'header' && parameter.required).map((parameter) => parameter.name)).toEqual([
      'X-Lockstep-Timestamp',
      'X-Lockstep-Signature',
    ]);
  });
});
