import { handshakeRequestSchema, syncEnvelopeBatchSchema, syncEnvelopeSchema, type HandshakeAnswer, type InboundBatchAnswer } from '@lockstep/schema';
import { Router } from 'express';
import { requireRole } from '../../auth/principal.js';
import { scopeOf } from '../../domains/domain-scope.js';
import { roles } from '../../auth/roles.js';
import { sendPage, withSysId } from '../../http/listing.js';
import { zodFindings } from '../../http/error-handler.js';
import { parseBody } from '../../http/parse.js';
import { badRequest, notFound, ProblemError } from '../../http/problem.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import { requirePeerApiRole, requireSignedFor } from '../peer/peer-caller.js';
import { pairingFindings } from '../peer/pairing.js';
import { queueStats } from '../dashboard/queue-stats.js';
import { readQueueListParams } from '../queue-list-filter.js';
import { waitingForView } from '../waiting-for.js';
import { applyInboundAction, type InboundAction } from './inbound-admin.js';
import type { InboundQueue } from './inbound-queue.js';
import { envelopeReceiver, type PeerHeard } from './inbound-receive.js';

/** As admins watch received envelopes. */
const NEWEST_FIRST = { created_at: -1, _id: 1 } as const;

/**
 * The peer API a sending instance calls (`/sync/v1/inbound`, its batch
 * form `/sync/v1/inbound/batch`, and `/sync/v1/handshake`, mounted under
 * /api), and the inbound queue as admins watch it.
 */
export function inboundRoutes(config: SyncConfigStore, queue: InboundQueue, instanceName: string, heard: PeerHeard): Router {
  const router = Router();

  const receive = envelopeReceiver(config, queue, instanceName, heard);

  router.post('/sync/v1/inbound', async (req, res) => {
    const caller = requirePeerApiRole(req);
    const envelope = parseBody(syncEnvelopeSchema, req.body);
    const answer = await receive(req, caller, envelope, new Set());
    req.log.info({ envelope: envelope.id, remoteSystem: envelope.source.target_remote_system, sequence: envelope.sequence, duplicate: answer.status === 'duplicate' }, 'inbound envelope received');
    res.status(202).json({ result: answer });
  });

  // Each envelope is checked and answered as the route above would; a refused one takes none of the others with it.
  router.post('/sync/v1/inbound/batch', async (req, res) => {
    const caller = requirePeerApiRole(req);
    const { envelopes } = parseBody(syncEnvelopeBatchSchema, req.body);
    const signedFor = new Set<string>();
    const answers: InboundBatchAnswer = await Promise.all(
      envelopes.map(async (body, index) => {
        const parsed = syncEnvelopeSchema.safeParse(body);
        const id = typeof (body as { id?: unknown } | null)?.id === 'string' ? (body as { id: string }).id : null;
        try {
          if (!parsed.success) throw badRequest('invalid-body', 'the envelope is not valid; see errors', zodFindings(parsed.error, `envelopes.${index}`));
          return await receive(req, caller, parsed.data, signedFor);
        } catch (error) {
          if (!(error instanceof ProblemError)) throw error;
          return { id, status: 'refused' as const, problem: error.toProblem(`${req.originalUrl}#${index}`) };
        }
      }),
    );
    const count = (status: string) => answers.filter((answer) => answer.status === status).length;
    req.log.info({ envelopes: envelopes.length, queued: count('queued'), duplicates: count('duplicate'), refused: count('refused') }, 'inbound envelope batch received');
    res.status(200).json({ result: answers });
  });

  router.post('/sync/v1/handshake', async (req, res) => {
    const caller = requirePeerApiRole(req);
    const request = parseBody(handshakeRequestSchema, req.body);
    const remote = await config.remoteSystem(request.remote_system);
    // Without the record there are no secrets to check the signature with; say what is wrong instead.
    if (remote) {
      requireSignedFor(req, remote);
      heard(remote._id);
    }
    const answer: HandshakeAnswer = { instance: instanceName, ...(await pairingFindings(config, instanceName, request, remote, caller)) };
    res.json({ result: answer });
  });

  router.get('/lockstep/v1/sync/inbound-queue', async (req, res) => {
    const scope = scopeOf(requireRole(req, [roles.processSync], 'Reading the inbound queue'));
    const { filter, page } = readQueueListParams(req.query, scope);
    const { items, total } = await queue.page(filter, page, NEWEST_FIRST);
    sendPage(res, items.map(withSysId), total);
  });

  // Before `/:id`, which would take "stats" for an id.
  router.get('/lockstep/v1/sync/inbound-queue/stats', async (req, res) => {
    const scope = scopeOf(requireRole(req, [roles.processSync], 'Reading the inbound queue'));
    res.json({ result: await queueStats(queue, config, 'inbound', scope) });
  });

  router.get('/lockstep/v1/sync/inbound-queue/:id', async (req, res) => {
    const scope = scopeOf(requireRole(req, [roles.processSync], 'Reading the inbound queue'));
    const item = await queue.visible(req.params.id, scope);
    if (!item) throw notFound('unknown-queue-item', `there is no inbound queue item ${req.params.id}`);
    const waitingFor = waitingForView(await queue.waitingFor(item), (blocker) => blocker.error_info);
    res.json({ result: { ...withSysId(item), payload: JSON.parse(item.payload_json) as unknown, waiting_for: waitingFor } });
  });

  for (const action of ['retry', 'skip', 'reprocess'] satisfies InboundAction[]) {
    router.post(`/lockstep/v1/sync/inbound-queue/:id/${action}`, async (req, res) => {
      const scope = scopeOf(requireRole(req, [roles.processSync], `Changing the inbound queue (${action})`));
      const item = await applyInboundAction(queue, String(req.params.id), action, scope);
      req.log.info({ item: item._id, action }, 'inbound queue item changed by an admin');
      res.json({ result: withSysId(item) });
    });
  }

  return router;
}
