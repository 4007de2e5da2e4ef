import { Router } from 'express';
import { requireRole } from '../../auth/principal.js';
import { scopeOf } from '../../domains/domain-scope.js';
import { roles } from '../../auth/roles.js';
import { sendPage, withSysId } from '../../http/listing.js';
import { notFound } from '../../http/problem.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import { queueStats } from '../dashboard/queue-stats.js';
import { readQueueListParams } from '../queue-list-filter.js';
import { waitingForView } from '../waiting-for.js';
import { applyOutboundAction, outboundActions } from './outbound-admin.js';
import type { OutboundQueue } from './outbound-queue.js';

const BASE = '/lockstep/v1/sync/outbound-queue';
/** As it is sent: one record's items to one remote system in sequence order. */
const OLDEST_FIRST = { created_at: 1, correlation_key: 1, sequence: 1, _id: 1 } as const;

/** The outbound queue as admins watch and steer it (role ih_process_sync). */
export function outboundRoutes(queue: OutboundQueue, config: SyncConfigStore): Router {
  const router = Router();

  router.get(BASE, async (req, res) => {
    const scope = scopeOf(requireRole(req, [roles.processSync], 'Reading the outbound queue'));
    const { filter, page } = readQueueListParams(req.query, scope);
    const { items, total } = await queue.page(filter, page, OLDEST_FIRST);
    sendPage(res, items.map(withSysId), total);
  });

  // Before `/:id`, which would take "stats" for an id.
  router.get(`${BASE}/stats`, async (req, res) => {
    const scope = scopeOf(requireRole(req, [roles.processSync], 'Reading the outbound queue'));
    res.json({ result: await queueStats(queue, config, 'outbound', scope) });
  });

  router.get(`${BASE}/:id`, async (req, res) => {
    const scope = scopeOf(requireRole(req, [roles.processSync], 'Reading the outbound queue'));
    const item = await queue.visible(req.params.id, scope);
    if (!item) throw notFound('unknown-queue-item', `there is no outbound queue item ${req.params.id}`);
    const waitingFor = waitingForView(await queue.waitingFor(item), (blocker) => blocker.error_info ?? blocker.retry.last_error);
    res.json({ result: { ...withSysId(item), payload: JSON.parse(item.payload_json) as unknown, waiting_for: waitingFor } });
  });

  for (const action of outboundActions) {
    router.post(`${BASE}/:id/${action}`, async (req, res) => {
      const scope = scopeOf(requireRole(req, [roles.processSync], `Changing the outbound queue (${action})`));
      res.json({ result: withSysId(await applyOutboundAction(queue, req.params.id, action, scope)) });
    });
  }

  return router;
}
