import { linkHistoryQuerySchema } from '@lockstep/schema';
import { Router } from 'express';
import { requireRole } from '../../auth/principal.js';
import { roles } from '../../auth/roles.js';
import { requestScope } from '../../domains/request-scope.js';
import { zodFindings } from '../../http/error-handler.js';
import { badRequest, notFound } from '../../http/problem.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { LinkTransitions } from './link-transitions.js';

/** The link history of a remote system: its states' transitions, newest first, with their reasons. */
export function linkRoutes(config: SyncConfigStore, transitions: LinkTransitions): Router {
  const router = Router();

  router.get('/lockstep/v1/sync/remote-systems/:id/link-history', async (req, res) => {
    requireRole(req, [roles.processSync], 'Reading the link history');
    const query = linkHistoryQuerySchema.safeParse(req.query);
    if (!query.success) throw badRequest('invalid-query', 'the query parameters are not valid; see errors', zodFindings(query.error, 'query'));
    const remote = await config.remoteSystem(req.params.id);
    // One of another domain's is answered as missing, as the config API answers it.
    if (!remote || !requestScope(req).sees(remote.sys_domain)) throw notFound('unknown-remote-system', `there is no remote system ${req.params.id}`);
    res.json({ result: await transitions.latest(remote._id, query.data.sysparm_limit) });
  });

  return router;
}
