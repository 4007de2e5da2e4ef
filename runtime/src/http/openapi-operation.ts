import { z } from 'zod';

/**
 * One operation of the HTTP API as the OpenAPI document describes it, with
 * the zod schemas the runtime validates its inputs with and the ones its
 * answers follow. The openapi-*-operations files list every route the app
 * mounts; a test walks the app's routers and checks both lists agree.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Input that is not JSON: a file's bytes, in whatever type the caller declares. */
export const binary = Symbol('binary');

/**
 * An operation that can go on from an answer, with the values it takes from
 * it (OpenAPI runtime expressions, e.g. `$response.body#/result/sys_id`):
 * how a client, or the fuzzer's stateful phase, gets from a create to the
 * reads, changes and deletes of what it made.
 */
export interface LinkSpec {
  method: HttpMethod;
  path: string;
  /** By parameter name, qualified (`header.If-Match`) where it is not a path parameter. */
  parameters: Record<string, string>;
}

export interface ResponseSpec {
  description: string;
  /** The JSON body; none for an empty answer (204). */
  body?: z.ZodType | typeof binary;
  headers?: Record<string, { description: string; schema: z.ZodType }>;
  links?: LinkSpec[];
}

/** Links from an answer to each of `methods` on `path`, with the same `parameters`. */
export function linksTo(path: string, methods: readonly HttpMethod[], parameters: Record<string, string>): LinkSpec[] {
  return methods.map((method) => ({ method, path, parameters }));
}

export interface Operation {
  method: HttpMethod;
  /** OpenAPI's template, `{name}` for a path parameter, named as the Express route names it. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** False only for what anyone may read (health, this document). */
  authenticated?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType | typeof binary;
  /** Whether the body may be left out. @default false */
  bodyOptional?: boolean;
  responses: Partial<Record<number, ResponseSpec>>;
}

/** Every error answer: RFC 9457 problem details, as application/problem+json. */
export const PROBLEM_JSON = 'application/problem+json';

export const totalCountHeader = { 'X-Total-Count': { description: "The whole list's length; the body holds one page of it", schema: z.string().regex(/^\d+$/) } };
export const locationHeader = { Location: { description: 'Where the new resource is read', schema: z.string() } };
export const etagHeader = { ETag: { description: "The draft's revision, which If-Match must name to change it", schema: z.string() } };

/** A path parameter that is any non-empty segment: ids the runtime makes up in several shapes. */
export const anyId = z.string().min(1);
