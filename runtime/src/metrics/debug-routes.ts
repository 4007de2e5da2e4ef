import { syncDebugSchema, type SyncDebug } from '@lockstep/schema';
import { Router } from 'express';
import { requireRole } from '../auth/principal.js';
import { roles } from '../auth/roles.js';
import { parseBody } from '../http/parse.js';
import type { QueueTrace } from './queue-trace.js';

export const SYNC_DEBUG_PATH = '/lockstep/v1/sync/debug';

/**
 * The instance's debug switch, read and turned on or off while it runs
 * (admin: it concerns every domain's items). It starts as --sync-debug says,
 * and a restart goes back to that.
 */
export function debugRoutes(trace: Pick<QueueTrace, 'enabled'>): Router {
  const router = Router();

  router.get(SYNC_DEBUG_PATH, (req, res) => {
    requireRole(req, [roles.admin], 'Reading the sync debug switch');
    res.json({ result: { enabled: trace.enabled } satisfies SyncDebug });
  });

  router.put(SYNC_DEBUG_PATH, (req, res) => {
    const principal = requireRole(req, [roles.admin], 'Turning the sync debug switch');
    const { enabled } = parseBody(syncDebugSchema, req.body);
    trace.enabled = enabled;
    req.log.info({ enabled, by: principal.userName }, 'sync debug switch set');
    res.json({ result: { enabled } satisfies SyncDebug });
  });

  return router;
}
