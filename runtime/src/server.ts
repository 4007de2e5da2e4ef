import { randomUUID } from 'node:crypto';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AttachmentServices } from './attachments/attachment-services.js';
import { authenticate, type PasswordCheckCache } from './auth/authenticate.js';
import { tokenRoutes } from './auth/token-routes.js';
import type { TokenStore } from './auth/token-store.js';
import { userRoutes } from './auth/user-routes.js';
import type { UserStore } from './auth/user-store.js';
import type { TableDictionary } from './dictionary/dictionary.js';
import { dictionaryRoutes } from './dictionary/dictionary-routes.js';
import { domainRoutes } from './domains/domain-directory.js';
import type { FlowEngine } from './flows/flow-engine.js';
import { runRoutes } from './flows/run-routes.js';
import { subflowRoutes } from './flows/subflow-routes.js';
import type { SubflowStore } from './flows/subflow-store.js';
import { designerAssets } from './http/designer-assets.js';
import { problemHandler, routeNotFound } from './http/error-handler.js';
import { healthRoute } from './http/health.js';
import { jsonBody, keptJsonDepthLimit } from './http/json-body.js';
import { OPENAPI_PATH } from './http/openapi-operations.js';
import { openApiRoute } from './http/openapi-route.js';
import { ProblemError } from './http/problem.js';
import { debugRoutes } from './metrics/debug-routes.js';
import { metricsRoutes, type Operations } from './metrics/operations.js';
import type { DocumentStore } from '@lockstep/store';
import type { SyncConfigStore } from './sync/config/sync-config-store.js';
import type { InboundQueue } from './sync/inbound/inbound-queue.js';
import { correlationRoutes } from './sync/correlation/correlation-routes.js';
import { dashboardRoutes } from './sync/dashboard/dashboard-routes.js';
import { inboundRoutes } from './sync/inbound/inbound-routes.js';
import type { OutboundQueue } from './sync/outbound/outbound-queue.js';
import { outboundRoutes } from './sync/outbound/outbound-routes.js';
import { activationRoutes } from './sync/peer/activation-routes.js';
import { linkRoutes } from './sync/link/link-routes.js';
import type { LinkHealth } from './sync/link/link-health.js';
import type { LinkStates } from './sync/link/link-states.js';
import type { LinkTransitions } from './sync/link/link-transitions.js';
import type { CorrelationStore } from './sync/correlation/correlation-store.js';
import type { PeerClient } from './sync/peer/peer-client.js';
import { peerBodyParser } from './sync/peer/raw-body.js';
import { syncConfigRoutes } from './sync/config/sync-config-routes.js';
import type { RecordStore } from './table/record-store.js';
import { tableRoutes } from './table/routes.js';

export interface RuntimeServices {
  instanceName: string;
  logger: Logger;
  store: DocumentStore;
  dictionary: TableDictionary;
  users: UserStore;
  tokens: TokenStore;
  passwords: PasswordCheckCache;
  records: RecordStore;
  subflows: SubflowStore;
  flows: FlowEngine;
  syncConfig: SyncConfigStore;
  inboundQueue: InboundQueue;
  outboundQueue: OutboundQueue;
  peers: PeerClient;
  /** Where remote systems' states change, and the link history each change is written to. */
  link: { states: LinkStates; transitions: LinkTransitions; health: Pick<LinkHealth, 'heardFrom'> };
  correlations: CorrelationStore;
  /** The metrics, and the debug switch's trace of the queues. */
  operations: Pick<Operations, 'metrics' | 'metricsAccess' | 'trace'>;
  attachments: Pick<AttachmentServices, 'api' | 'peerApi'>;
  /** The remote task definitions, activations, triggers and their peer calls (remote-tasks/). */
  remoteTasks: Router;
}

/** A body in anything but JSON would be silently ignored by the JSON parser; refuse it instead. */
const jsonBodiesOnly: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    throw new ProblemError(415, 'unsupported-media-type', 'Unsupported media type', `send the body as application/json, not ${req.headers['content-type'] ?? 'without a Content-Type'}`);
  }
  next();
};

export function createApp(services: RuntimeServices): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger: services.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // A request that succeeded is logged at debug: at info, a busy link wrote a line per envelope and Table API call
      // (2 to 3% of a consumer's CPU in the sync bench), and the lines an operator needs (warnings, errors, the error subflow's) drowned.
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
    }),
  );
  app.get('/health', healthRoute(services));
  const tables = services.dictionary.list().map((table) => table.name);
  app.get(OPENAPI_PATH, openApiRoute({ tables: tables as [string, ...string[]], tokenMaxDays: services.tokens.maxDays }));

  const api = express.Router();
  // Before the shared parser, which then skips these bodies: peer signatures cover the raw bytes.
  api.use('/sync/v1', peerBodyParser, keptJsonDepthLimit);
  const authenticated = authenticate(services.users, services.tokens, services.passwords);
  app.use(metricsRoutes(services.operations, authenticated));
  // Attachment bodies are files, streamed to the content store as they arrive: before the JSON-only rule and parser.
  api.use('/now/attachment', authenticated, services.attachments.api);
  api.use('/sync/v1/attachments', authenticated, services.attachments.peerApi);
  api.use(jsonBodiesOnly, jsonBody);
  api.use(authenticated);
  api.use('/now/table', tableRoutes(services.dictionary, services.records));
  api.use('/lockstep/v1/subflows', subflowRoutes(services.subflows));
  api.use(inboundRoutes(services.syncConfig, services.inboundQueue, services.instanceName, (remoteSystem) => services.link.health.heardFrom(remoteSystem)));
  api.use(activationRoutes({ instanceName: services.instanceName, config: services.syncConfig, users: services.users, peers: services.peers, states: services.link.states }));
  api.use(linkRoutes(services.syncConfig, services.link.transitions));
  api.use(outboundRoutes(services.outboundQueue, services.syncConfig));
  api.use(correlationRoutes(services.correlations));
  api.use(dashboardRoutes(services.outboundQueue, services.inboundQueue, services.syncConfig));
  api.use(debugRoutes(services.operations.trace));
  api.use('/lockstep/v1/sync', syncConfigRoutes(services));
  api.use(services.remoteTasks);
  api.use('/lockstep/v1', dictionaryRoutes(services.dictionary));
  api.use('/lockstep/v1', userRoutes(services.users, services.tokens));
  api.use('/lockstep/v1', tokenRoutes(services.users, services.tokens));
  api.use('/lockstep/v1', domainRoutes(services.store));
  api.use('/lockstep/v1', runRoutes(services.subflows, services.flows));
  app.use('/api', api);
  app.use('/designer', designerAssets());

  app.use(routeNotFound);
  app.use(problemHandler);
  return app;
}
