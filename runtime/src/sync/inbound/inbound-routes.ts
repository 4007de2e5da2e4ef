import { syncEnvelopeSchema } from '@lockstep/schema';
import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../../auth/principal.js';
import { roles } from '../../auth/roles.js';
import { pageParams, sendPage, withSysId } from '../../http/listing.js';
import { parseBody, parseQueryParams } from '../../http/parse.js';
import { notFound, ProblemError } from '../../http/problem.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import { handshakeRequestSchema, type HandshakeAnswer } from '../peer/handshake.js';
import { requirePeerApiRole, requireSignedFor } from '../peer/peer-caller.js';
import { pairingFindings } from '../peer/pairing.js';
import { queueStatuses } from '../queue-item.js';
import { applyInboundAction, inboundQueueStats, type InboundAction } from './inbound-admin.js';
import type { InboundQueue } from './inbound-queue.js';

const queueListQuery = z.strictObject({
  status: z.enum(queueStatuses).optional(),
  remote_system: z.string().regex(/^[0-9a-f]{32}$/, 'a sys_id is 32 hex characters').optional(),
  ...pageParams,
});

/**
 * The peer API a sending instance calls (`/sync/v1/inbound` and
 * `/sync/v1/handshake`, mounted under /api), and the inbound queue as admins
 * watch it. Every check comes before the queue is written, so a refused
 * envelope leaves nothing behind.
 */
export function inboundRoutes(config: SyncConfigStore, queue: InboundQueue, instanceName: string): Router {
  const router = Router();

  router.post('/sync/v1/inbound', async (req, res) => {
    const caller = requirePeerApiRole(req);
    const envelope = parseBody(syncEnvelopeSchema, req.body);
    const { remote_system: senderId, target_remote_system: targetId, instance } = envelope.source;
    const remote = await config.remoteSystem(targetId);
    if (!remote) {
      throw notFound('unknown-remote-system', `${instanceName} has no remote system ${targetId}; on ${instance}, set the external id of remote system ${senderId} to the sys_id of ${instanceName}'s record for it`);
    }
    if (remote.external_id !== senderId) {
      throw new ProblemError(403, 'remote-system-mismatch', 'Forbidden', `remote system ${remote.name} on ${instanceName} pairs with ${remote.external_id}, not with ${senderId}; correct the external id of one of the two records`);
    }
    if (caller.sysId !== remote.inbound_api_user) {
      throw new ProblemError(403, 'not-inbound-api-user', 'Forbidden', `user ${caller.userName} is not the inbound API user of remote system ${remote.name}; the sender's connection must authenticate as that user`);
    }
    if (remote.inbound_state !== 'active') {
      throw new ProblemError(409, 'remote-system-not-active', 'Conflict', `the inbound state of remote system ${remote.name} on ${instanceName} is ${remote.inbound_state}; run Validate and Activate on it (POST /api/lockstep/v1/sync/remote-systems/${remote._id}/activate), then send again`);
    }
    requireSignedFor(req, remote);
    const event = await config.processEventByName(envelope.process_event, remote.process_sync_definition);
    if (!event) {
      throw new ProblemError(422, 'unknown-process-event', 'Unprocessable content', `process sync definition ${remote.process_sync_definition} on ${instanceName} has no process event "${envelope.process_event}"; create one of that name there, since the name is what links the two instances`);
    }
    const queued = await queue.enqueue(envelope, { remoteSystem: remote._id, processEvent: event._id, domain: caller.domain });
    req.log.info({ envelope: envelope.id, remoteSystem: remote._id, sequence: envelope.sequence, duplicate: queued.duplicate }, 'inbound envelope received');
    res.status(202).json({ result: { id: envelope.id, status: queued.duplicate ? 'duplicate' : 'queued' } });
  });

  router.post('/sync/v1/handshake', async (req, res) => {
    const caller = requirePeerApiRole(req);
    const request = parseBody(handshakeRequestSchema, req.body);
    const remote = await config.remoteSystem(request.remote_system);
    // Without the record there are no secrets to check the signature with; say what is wrong instead.
    if (remote) requireSignedFor(req, remote);
    const answer: HandshakeAnswer = { instance: instanceName, ...(await pairingFindings(config, instanceName, request, remote, caller)) };
    res.json({ result: answer });
  });

  router.get('/lockstep/v1/sync/inbound-queue', async (req, res) => {
    requireRole(req, [roles.processSync], 'Reading the inbound queue');
    const { status, remote_system, limit, offset } = parseQueryParams(queueListQuery, req.query);
    const { items, total } = await queue.list({ status, remoteSystem: remote_system }, limit, offset);
    sendPage(res, items.map(withSysId), total);
  });

  // Before `/:id`, which would take "stats" for an id.
  router.get('/lockstep/v1/sync/inbound-queue/stats', async (req, res) => {
    requireRole(req, [roles.processSync], 'Reading the inbound queue');
    res.json({ result: await inboundQueueStats(queue, config) });
  });

  router.get('/lockstep/v1/sync/inbound-queue/:id', async (req, res) => {
    requireRole(req, [roles.processSync], 'Reading the inbound queue');
    const item = await queue.get(req.params.id);
    if (!item) throw notFound('unknown-queue-item', `there is no inbound queue item ${req.params.id}`);
    res.json({ result: { ...withSysId(item), payload: JSON.parse(item.payload_json) as unknown } });
  });

  for (const action of ['retry', 'skip', 'reprocess'] satisfies InboundAction[]) {
    router.post(`/lockstep/v1/sync/inbound-queue/:id/${action}`, async (req, res) => {
      requireRole(req, [roles.processSync], `Changing the inbound queue (${action})`);
      const item = await applyInboundAction(queue, String(req.params.id), action);
      req.log.info({ item: item._id, action }, 'inbound queue item changed by an admin');
      res.json({ result: withSysId(item) });
    });
  }

  return router;
}
