import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { byType } from '@lockstep/flow';
import { PasswordCheckCache } from './auth/authenticate.js';
import { ensureFirstAdmin } from './auth/bootstrap.js';
import { TokenStore } from './auth/token-store.js';
import { UserStore } from './auth/user-store.js';
import type { RuntimeConfig } from './config.js';
import { TableDictionary } from './dictionary/dictionary.js';
import { shippedTables } from './dictionary/tables.js';
import { sendNotificationImplementation } from './flows/actions/notify.js';
import { OutboundGuard } from './net/outbound-guard.js';
import { syncImplementations } from './sync/actions/sync-actions.js';
import { OutboundDispatcher } from './sync/outbound/dispatcher.js';
import { CorrelationStore } from './sync/correlation/correlation-store.js';
import { CaptureService } from './sync/capture/capture-service.js';
import { FlowEngine } from './flows/flow-engine.js';
import { SubflowStore } from './flows/subflow-store.js';
import { loadTemplates, templatesDirectory } from './flows/templates.js';
import { createLogger } from './logger.js';
import { Operations } from './metrics/operations.js';
import { createApp } from './server.js';
import { openAttachmentServices, type AttachmentServices } from './attachments/attachment-services.js';
import { openStore, type DocumentStore } from '@lockstep/store';
import { RecordNumbers } from './table/numbering.js';
import { RecordStore } from './table/record-store.js';
import { SecretBox } from './sync/config/secret-box.js';
import { loadSecretKey } from './sync/config/secret-key.js';
import { SyncConfigStore } from './sync/config/sync-config-store.js';
import { InboundQueue } from './sync/inbound/inbound-queue.js';
import { InboundProcessor, inboundWorkerOptions } from './sync/inbound/processor.js';
import { LinkHealth } from './sync/link/link-health.js';
import { LinkStates } from './sync/link/link-states.js';
import { LinkTransitions } from './sync/link/link-transitions.js';
import { validateRemoteSystem } from './sync/peer/validate-and-activate.js';
import { EnvelopeBatcher } from './sync/peer/envelope-batcher.js';
import { PeerClient } from './sync/peer/peer-client.js';
import { openRemoteTasks } from './remote-tasks/remote-task-services.js';

export interface RunningRuntime {
  url: string;
  /** The runtime's own store, for in-process inspection (tests); closed by `stop`. */
  store: DocumentStore;
  /** Stops accepting requests, lets the ones in flight finish, then closes the store. */
  stop(): Promise<void>;
}

/** Where a generated admin password is shown: once, to whoever started the runtime. */
export type Announce = (text: string) => void;

export async function startRuntime(config: RuntimeConfig, announce: Announce): Promise<RunningRuntime> {
  const logger = createLogger(config);
  const store = await openStore(config);
  logger.info({ store: store.kind, location: store.location }, 'store opened');
  let flows: FlowEngine | undefined;
  let sync: CaptureService | undefined;
  let dispatcher: OutboundDispatcher | undefined;
  let inbound: InboundProcessor | undefined;
  let linkHealth: LinkHealth | undefined;
  let attachments: AttachmentServices | undefined;
  let operations: Operations | undefined;
  try {
    const dictionary = new TableDictionary(shippedTables);
    const users = new UserStore(store);
    const tokens = new TokenStore(store, config.tokenMaxDays);
    const secrets = new SecretBox(await loadSecretKey(config.secretKey, config.dataDir));
    const syncConfig = new SyncConfigStore(store, secrets, { signingSecretGraceMs: config.signingSecretGraceSeconds * 1000, logger });
    sync = new CaptureService({ store, dictionary, config: syncConfig, logger });
    const records = new RecordStore(store, dictionary, new RecordNumbers(store), sync.capture);
    const subflows = new SubflowStore(store);
    const inboundQueue = new InboundQueue(store);
    const linkTransitions = new LinkTransitions(store);
    const linkStates = new LinkStates(store, linkTransitions);
    await Promise.all([users.prepare(), tokens.prepare(), records.prepare(), subflows.prepare(), syncConfig.prepare(), sync.prepare(), inboundQueue.prepare(), linkTransitions.prepare()]);
    await loadTemplates(subflows, templatesDirectory, logger);
    const outboundGuard = new OutboundGuard(config.outboundAllow);
    const notify = sendNotificationImplementation({ webhookAllow: config.webhookAllow, outbound: outboundGuard, smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, logger });
    const correlations = new CorrelationStore(store);
    await correlations.prepare();
    records.onCreated((table, sysId) => correlations.created(table.name, sysId));
    // The listening address is known once the server listens (port 0 picks one); links are made only in answers, after that.
    let listeningUrl = '';
    const publicUrl = () => config.publicUrl ?? listeningUrl;
    attachments = await openAttachmentServices({ config, store, dictionary, records, syncConfig, correlations, logger, publicUrl });
    const peers = new PeerClient({ outbound: outboundGuard });
    const remoteTasks = await openRemoteTasks({ instanceName: config.instanceName, store, dictionary, records, subflows, syncConfig, correlations, peers });
    flows = new FlowEngine({
      store,
      dictionary,
      records,
      subflows,
      logger,
      expressionLimits: { timeoutMs: config.expressionTimeoutMs, maxResultBytes: config.expressionMaxResultBytes },
      retention: { completedDays: config.contextRetentionDays, failedDays: config.failedContextRetentionDays },
      actions: {
        ...byType(notify, ...remoteTasks.actions),
        ...syncImplementations({
          config: syncConfig,
          correlations,
          dictionary,
          records,
          links: linkStates,
          queues: { outbound: sync.queue, inbound: inboundQueue },
          peers: new EnvelopeBatcher(peers),
          instanceName: config.instanceName,
          attachments: attachments.actions,
        }),
      },
    });
    await flows.start();
    // Before the relay and the workers start: the metrics and the debug trace hear every move of the queues' items.
    const retention = { doneDays: config.queueRetentionDays, openDays: config.queueOpenRetentionDays };
    const ops = new Operations({ logger, store, syncConfig, linkHistory: linkTransitions, queues: { outbound: sync.queue, inbound: inboundQueue }, flows, settings: { metrics: config.metrics, syncDebug: config.syncDebug, retention } });
    operations = ops;
    ops.start();
    sync.start();
    const activation = { instanceName: config.instanceName, config: syncConfig, users, peers, states: linkStates };
    linkHealth = new LinkHealth({
      config: syncConfig,
      states: linkStates,
      history: linkTransitions,
      flows,
      users,
      logger: logger.child({ component: 'link-health' }),
      validate: async (remote) => (await validateRemoteSystem(activation, remote)).map((finding) => finding.message),
      holdsInError: async (remote, direction) => {
        const failed = direction === 'inbound' ? await inboundQueue.firstInError(remote._id) : null;
        return failed && `inbound queue item ${failed._id} is in error; retry, skip or reprocess it`;
      },
      settings: { failureWindowMs: config.linkFailureWindowMs, probeMaxMs: config.linkProbeMaxDelayMs },
    });
    dispatcher = new OutboundDispatcher({
      queue: sync.queue,
      config: syncConfig,
      flows,
      users,
      logger: logger.child({ component: 'outbound-dispatcher' }),
      worker: { concurrency: config.outboundConcurrency },
      retry: { baseDelayMs: config.outboundRetryDelayMs, maxDelayMs: config.outboundRetryMaxDelayMs },
      link: linkHealth,
      states: linkStates,
    });
    // The embedded store is this process's alone: whatever it finds claimed was left by its previous run.
    const ownsStore = store.kind === 'embedded';
    await dispatcher.start(ownsStore);
    inbound = new InboundProcessor({ queue: inboundQueue, config: syncConfig, correlations, users, flows, link: linkHealth, logger: logger.child({ component: 'inbound' }), worker: inboundWorkerOptions(store) });
    await inbound.start(ownsStore);
    linkHealth.start();

    const admin = await ensureFirstAdmin(users, { userName: config.adminUser, password: config.adminPassword });
    if (admin.generatedPassword !== undefined) {
      announce(
        `\n  First start: created admin user "${config.adminUser}" with password ${admin.generatedPassword}\n` +
          '  It is shown only this once. Change it with PATCH /api/lockstep/v1/users/<sys_id>.\n\n',
      );
    } else if (admin.created) {
      logger.info({ user: config.adminUser }, 'first start: created the admin user from LOCKSTEP_ADMIN_PASSWORD');
    }

    const app = createApp({ instanceName: config.instanceName, logger, store, dictionary, users, tokens, records, subflows, flows, syncConfig, inboundQueue, outboundQueue: sync.queue, peers, link: { states: linkStates, transitions: linkTransitions, health: linkHealth }, correlations, attachments, remoteTasks: remoteTasks.api, operations: ops, passwords: new PasswordCheckCache() });
    const server = app.listen(config.port, config.host);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    listeningUrl = url;
    logger.info({ url, publicUrl: publicUrl() }, 'listening');
    const engine = flows;
    const relay = sync;
    const outbound = dispatcher;
    const processor = inbound;
    const health = linkHealth;
    const attachmentContent = attachments;
    syncConfig.start();
    const closeEngineAndStore = async () => {
      // Its probes and error subflows use the engine and the store.
      await health.stop();
      // Its sends run flows on the engine and write the store, so it stops before both.
      await outbound.stop();
      // First, so no inbound run is left mid-flow when the engine stops.
      await processor.stop();
      await engine.stop();
      await relay.stop();
      await ops.stop();
      await attachmentContent.close();
      await syncConfig.stop();
      await store.close();
    };
    return { url, store, stop: () => stopGracefully(server, config.shutdownTimeoutMs, closeEngineAndStore, logger) };
  } catch (error) {
    await linkHealth?.stop();
    await dispatcher?.stop();
    await inbound?.stop();
    await flows?.stop();
    await sync?.stop();
    await operations?.stop();
    await attachments?.close();
    await store.close();
    throw error;
  }
}

async function stopGracefully(server: Server, timeoutMs: number, closeStore: () => Promise<void>, logger: ReturnType<typeof createLogger>): Promise<void> {
  logger.info('shutting down: no new requests, finishing those in flight');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A keep-alive socket turns idle once its last request is answered, and would
  // then hold close() open until the client hangs up; sweep them as they do.
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => {
    logger.warn({ timeoutMs }, 'requests still in flight after the shutdown timeout; closing their connections');
    server.closeAllConnections();
  }, timeoutMs);
  await closed;
  clearInterval(sweep);
  clearTimeout(deadline);
  await closeStore();
  logger.info('stopped');
}
