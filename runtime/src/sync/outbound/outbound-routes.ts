import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../auth/principal.js';
import { roles } from '../../auth/roles.js';
import { zodFindings } from '../../http/error-handler.js';
import { badRequest, notFound } from '../../http/problem.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import { queueStatuses } from '../queue-item.js';
import { applyOutboundAction, outboundActions, outboundQueueStats } from './outbound-admin.js';
import type { OutboundQueue, OutboundQueueItem } from './outbound-queue.js';

const sysId = z.string().regex(/^[0-9a-f]{32}$/, 'a sys_id is 32 hex characters');
/** An ISO 8601 date-time or epoch ms. */
const instant = z.union([z.coerce.number().int().min(0), z.iso.datetime({ offset: true }).transform((text) => Date.parse(text))]);

const listQuery = z.strictObject({
  status: z.enum(queueStatuses).optional(),
  process_event: sysId.optional(),
  remote_system: sysId.optional(),
  created_after: instant.optional(),
  created_before: instant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

function itemView({ _id, ...rest }: OutboundQueueItem) {
  return { sys_id: _id, ...rest };
}

const BASE = '/lockstep/v1/sync/outbound-queue';

/** The outbound queue as admins watch and steer it (role ih_process_sync). */
export function outboundRoutes(queue: OutboundQueue, config: SyncConfigStore): Router {
  const router = Router();

  router.get(BASE, async (req, res) => {
    requireRole(req, [roles.processSync], 'Reading the outbound queue');
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) throw badRequest('invalid-parameter', 'a query parameter is not valid; see errors', zodFindings(parsed.error));
    const { limit, offset, ...query } = parsed.data;
    const [items, total] = await Promise.all([queue.list(query, { limit, offset }), queue.count(query)]);
    res.setHeader('X-Total-Count', String(total));
    res.json({ result: items.map(itemView) });
  });

  // Before `/:id`, which would take "stats" for an id.
  router.get(`${BASE}/stats`, async (req, res) => {
    requireRole(req, [roles.processSync], 'Reading the outbound queue');
    res.json({ result: await outboundQueueStats(queue, config) });
  });

  router.get(`${BASE}/:id`, async (req, res) => {
    requireRole(req, [roles.processSync], 'Reading the outbound queue');
    const item = await queue.get(req.params.id);
    if (!item) throw notFound('unknown-queue-item', `there is no outbound queue item ${req.params.id}`);
    res.json({ result: { ...itemView(item), payload: JSON.parse(item.payload_json) as unknown } });
  });

  for (const action of outboundActions) {
    router.post(`${BASE}/:id/${action}`, async (req, res) => {
      requireRole(req, [roles.processSync], `Changing the outbound queue (${action})`);
      res.json({ result: itemView(await applyOutboundAction(queue, req.params.id, action)) });
    });
  }

  return router;
}
