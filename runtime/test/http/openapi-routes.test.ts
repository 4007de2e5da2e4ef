import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { attachmentRoutes } from '../../src/attachments/attachment-routes.js';
import { TableDictionary } from '../../src/dictionary/dictionary.js';
import { shippedTables } from '../../src/dictionary/tables.js';
import { apiOperations } from '../../src/http/openapi-operations.js';
import { remoteTaskApi } from '../../src/remote-tasks/remote-task-services.js';
import { createApp, type RuntimeServices } from '../../src/server.js';
import { attachmentPeerRoutes } from '../../src/sync/attachments/attachment-peer-routes.js';

/** What Express 5's router keeps of what was mounted: routes with their methods, and routers under a path. */
interface Layer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** `get /api/now/table/{table}` for every route under `stack`, with OpenAPI's `{param}` for Express's `:param`. */
function mountedRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    const here = `${prefix}${layer.route?.path ?? (typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '')}`;
    if (layer.route) {
      const path = here.replace(/\/$/, '').replace(/:(\w+)/g, '{$1}');
      return Object.keys(layer.route.methods).map((method) => `${method} ${path}`);
    }
    return layer.handle.stack ? mountedRoutes(layer.handle.stack, here) : [];
  });
}

/** Stands in for a service the app only uses on requests, which none is made here: each property of it is another stand-in. */
const standIn: unknown = new Proxy(() => undefined, { get: (_target, key) => (key === 'then' ? undefined : standIn), apply: () => standIn });

/** The app as createApp mounts it, with real services only where building it reads them. */
function app() {
  const real: Partial<RuntimeServices> = {
    logger: pino({ level: 'silent' }),
    dictionary: new TableDictionary(shippedTables),
    tokens: { maxDays: 90 } as RuntimeServices['tokens'],
    attachments: { api: attachmentRoutes(standIn as never), peerApi: attachmentPeerRoutes(standIn as never) },
    remoteTasks: remoteTaskApi(standIn as never),
  };
  return createApp(new Proxy(real, { get: (target, key: keyof RuntimeServices) => target[key] ?? standIn }) as RuntimeServices);
}

describe('the OpenAPI document', () => {
  const tables = new TableDictionary(shippedTables).list().map((table) => table.name) as [string, ...string[]];
  const documented = apiOperations({ tables, tokenMaxDays: 90 }).map((op) => `${op.method} ${op.path}`);

  it('lists every route the app mounts under /api and /health, and no other', () => {
    const mounted = mountedRoutes((app() as unknown as { router: { stack: Layer[] } }).router.stack).filter((route) => / \/(api|health)\b/.test(route));
    expect(mounted.length).toBeGreaterThan(80);
    expect([...new Set(mounted)].sort()).toEqual([...documented].sort());
  });

  it('names each operation once', () => {
    expect(new Set(documented).size).toBe(documented.length);
  });
});
