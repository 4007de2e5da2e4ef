import { healthSchema } from '@lockstep/schema';
import { z } from 'zod';
import { flowOperations } from './openapi-flow-operations.js';
import type { Operation } from './openapi-operation.js';
import { peerOperations } from './openapi-peer-operations.js';
import { remoteTaskOperations } from './openapi-remote-task-operations.js';
import { syncOperations } from './openapi-sync-operations.js';
import { tableOperations } from './openapi-table-operations.js';
import { userOperations } from './openapi-user-operations.js';

/** Where the document is served. */
export const OPENAPI_PATH = '/api/lockstep/v1/openapi.json';

/** What of the instance the document depends on. */
export interface ApiFacts {
  /** The dictionary's tables, which the Table API's `{table}` takes. */
  tables: readonly [string, ...string[]];
  /** A new API token's longest life (`--token-max-days`). */
  tokenMaxDays: number;
}

/** Every route the runtime mounts, in one table; the app's routers are checked against it (openapi-routes test). */
export function apiOperations(facts: ApiFacts): Operation[] {
  return [
    {
      method: 'get',
      path: '/health',
      tag: 'Instance',
      summary: 'Liveness and readiness: 503 when the store does not answer',
      authenticated: false,
      responses: { 200: { description: 'The instance is up', body: healthSchema } },
    },
    {
      method: 'get',
      path: OPENAPI_PATH,
      tag: 'Instance',
      summary: 'This document',
      authenticated: false,
      responses: { 200: { description: 'The OpenAPI 3.1 document of this API', body: z.looseObject({ openapi: z.string() }) } },
    },
    ...tableOperations(facts.tables),
    ...userOperations(facts.tokenMaxDays),
    ...flowOperations,
    ...syncOperations,
    ...peerOperations,
    ...remoteTaskOperations,
  ];
}
