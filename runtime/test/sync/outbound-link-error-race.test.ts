import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { byType, DEFAULT_EXPRESSION_LIMITS, implement, nodeCatalog } from '@lockstep/flow';
import { outboundFlowSchema, processEventSchema, remoteSystemSchema } from '@lockstep/schema';
import { openStore, type DocumentStore } from '@lockstep/store';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserStore } from '../../src/auth/user-store.js';
import { TableDictionary } from '../../src/dictionary/dictionary.js';
import { shippedTables } from '../../src/dictionary/tables.js';
import { FlowEngine, type RuntimeActions } from '../../src/flows/flow-engine.js';
import { SubflowStore } from '../../src/flows/subflow-store.js';
import { loadTemplates, templatesDirectory } from '../../src/flows/templates.js';
import { OutboundGuard } from '../../src/net/outbound-guard.js';
import { correlationImplementations } from '../../src/sync/actions/correlations.js';
import { sendPayloadImplementation } from '../../src/sync/actions/send-payload.js';
import { SecretBox } from '../../src/sync/config/secret-box.js';
import { SyncConfigStore } from '../../src/sync/config/sync-config-store.js';
import { CorrelationStore } from '../../src/sync/correlation/correlation-store.js';
import { LinkHealth } from '../../src/sync/link/link-health.js';
import { LinkStates } from '../../src/sync/link/link-states.js';
import { LinkTransitions } from '../../src/sync/link/link-transitions.js';
import { OutboundQueue, type OutboundQueueItem } from '../../src/sync/outbound/outbound-queue.js';
import { OutboundSend } from '../../src/sync/outbound/outbound-send.js';
import { EnvelopeBatcher } from '../../src/sync/peer/envelope-batcher.js';
import { PeerClient } from '../../src/sync/peer/peer-client.js';
import { RecordNumbers } from '../../src/table/numbering.js';
import { RecordStore } from '../../src/table/record-store.js';

const sysId = () => randomBytes(16).toString('hex');
const MINUTE = 60_000;
const FAILURE_WINDOW_MS = 5 * MINUTE;
const silent = pino({ level: 'silent' });

/**
 * The engine binds every catalog node; of the runtime's own, the shipped
 * outbound flow runs the correlation look-up and Send captured payload here,
 * bound below to the real ones. The others would fail the step, if it ever
 * came to one.
 */
const notReached = Object.fromEntries(
  nodeCatalog
    .filter(({ type }) => !type.startsWith('flow.') && !type.startsWith('record.'))
    .map((definition) => [definition.type, implement(definition, () => Promise.reject(new Error(`${definition.type} is not on the path this test sends by`)))]),
) as unknown as RuntimeActions;

/**
 * A peer that takes the request and holds it until the test lets it fail: its
 * socket is destroyed with no answer, which the peer client reports as
 * unreachable (peer_unavailable), a failure the queue blames on the connection.
 */
class HeldPeer {
  readonly server: Server;
  readonly received: Promise<IncomingMessage>;

  constructor() {
    let heard!: (request: IncomingMessage) => void;
    this.received = new Promise((resolve) => (heard = resolve));
    this.server = createServer((request) => heard(request));
  }

  async url(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async dropConnection(): Promise<void> {
    (await this.received).socket.destroy();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/*
 * The race the state check at the end of OutboundSend.connectionFailed closes: the link's
 * failing window runs out (LinkHealth's timer) while an attempt is in flight.
 * Entering error resets the retries of the link's ready items, which passes the
 * in-flight one by; when that attempt then fails on the connection, it must not
 * be left waiting out a backoff, with its attempts counted, on a link in error.
 */
describe('an outbound attempt in flight when its link enters error', () => {
  let dataDir: string;
  let store: DocumentStore;
  let flows: FlowEngine | undefined;
  let health: LinkHealth | undefined;
  let peer: HeldPeer;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lockstep-link-error-race-'));
    store = await openStore({ dataDir });
    peer = new HeldPeer();
    flows = undefined;
    health = undefined;
  });
  afterEach(async () => {
    // Link health first: an entry into error may still be looking for its error subflow.
    await health?.stop();
    await flows?.stop();
    await peer.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is made due at once when it fails on the connection, as the items the link error reset were', async () => {
    const dictionary = new TableDictionary(shippedTables);
    const users = new UserStore(store);
    const config = new SyncConfigStore(store, new SecretBox(randomBytes(32)));
    const queue = new OutboundQueue(store);
    const subflows = new SubflowStore(store);
    const correlations = new CorrelationStore(store);
    const transitions = new LinkTransitions(store);
    await Promise.all([users.prepare(), config.prepare(), queue.prepare(), subflows.prepare(), correlations.prepare(), transitions.prepare()]);
    // The shipped outbound flow, published as the runtime publishes it at start.
    await loadTemplates(subflows, templatesDirectory, silent);
    const records = new RecordStore(store, dictionary, new RecordNumbers(store));
    // A timeout past the test's own: the attempt ends when the test drops the connection, not before.
    const peers = new EnvelopeBatcher(new PeerClient({ outbound: new OutboundGuard(['127.0.0.1']), timeoutMs: 10 * MINUTE }));
    const engine = new FlowEngine({
      store,
      dictionary,
      records,
      subflows,
      logger: silent,
      expressionLimits: DEFAULT_EXPRESSION_LIMITS,
      actions: { ...notReached, ...byType(...correlationImplementations({ correlations, dictionary, records }), sendPayloadImplementation({ config, correlations, peers, instanceName: 'consumer' })) },
    });
    flows = engine;
    await engine.start();

    const peerUrl = await peer.url();
    const runAs = await users.create({ user_name: 'sync_runner', name: '', email: '', roles: [], active: true, sys_domain: 'global' });
    const definition = sysId();
    const event = await config.processEvents.insert(processEventSchema.parse({ name: 'incident', process_sync_definition: definition }), 'tester');
    const remote = await config.remoteSystems.insert(
      remoteSystemSchema.parse({
        process_sync_definition: definition,
        name: 'provider',
        external_id: sysId(),
        connection: { base_url: peerUrl, user_name: 'api', password: 'secret-password', signing_secrets: ['k'.repeat(32)] },
        inbound_api_user: sysId(),
        run_as_user: runAs._id,
        outbound_state: 'active',
        inbound_state: 'active',
      }),
      'tester',
    );
    await config.outboundFlows.insert(outboundFlowSchema.parse({ process_sync_definition: definition, process_event: event._id, remote_system: remote._id, subflow: 'outbound-basic' }), 'tester');

    // Link health on a clock of the test's own, so its window runs out exactly when the test says.
    let now = 0;
    const clock = () => now;
    const states = new LinkStates(store, transitions, clock);
    const link = new LinkHealth({
      config,
      states,
      history: transitions,
      flows: engine,
      users,
      logger: silent,
      validate: () => Promise.resolve(['the peer did not answer']),
      holdsInError: () => Promise.resolve(null),
      settings: { failureWindowMs: FAILURE_WINDOW_MS },
      now: clock,
    });
    // What the dispatcher does when a link enters error; kept here so the test can wait for it to be done.
    let resetOnEntry: Promise<void> | undefined;
    states.onTransition(({ remote_system: remoteSystem, direction, to }) => {
      if (direction === 'outbound' && to === 'error') resetOnEntry = queue.retryNow(remoteSystem);
    });
    // An earlier attempt (another item's) failed: the link's failing window is open from time 0.
    health = link;
    await link.failed(remote._id, 'outbound', { error: 'another item could not connect', item: null });

    const record = { table: 'incident', sys_id: sysId(), mod_count: 1 };
    const captureDefinition = sysId();
    const payload = {
      table: record.table,
      sys_id: record.sys_id,
      operation: 'insert',
      fields: { short_description: 'Email is down' },
      changed: ['short_description'],
      journal: {},
      attachments: [],
      metadata: { changed_by: 'beth', changed_on: '2026-05-01 10:00:00', domain: 'global', capture_definition: captureDefinition, mod_count: 1 },
    };
    const { item: queued } = await queue.insert({
      _id: `${sysId()}:${remote._id}`,
      process_event: event._id,
      remote_system: remote._id,
      capture_definition: captureDefinition,
      correlation_key: `${record.table}:${record.sys_id}:${remote._id}`,
      sequence: 1,
      operation: 'insert',
      record,
      payload_json: JSON.stringify(payload),
      origin_intent: sysId(),
      captured_at: Date.now(),
      sys_domain: 'global',
    });
    const claimed = (await queue.claim(queued, Date.now(), Date.now() + 10 * MINUTE)) as OutboundQueueItem;
    const send = new OutboundSend({ queue, config, flows: engine, users, retry: { baseDelayMs: MINUTE, maxDelayMs: MINUTE }, link });

    const sending = send.run(claimed);
    // Should it end without reaching the peer, how it ended says more than the test's timeout would.
    if (!(await Promise.race([peer.received.then(() => true), sending.then(() => false)]))) {
      throw new Error(`the attempt ended before it reached the peer: ${(await queue.get(claimed._id))?.error_info}`);
    }
    // The attempt is in flight: the window runs out and the timer's tick puts the link in error.
    now = FAILURE_WINDOW_MS;
    await link.tick();
    expect((await config.remoteSystem(remote._id))?.outbound_state).toBe('error');
    await resetOnEntry;
    // The reset on entering error passed the item by, as it was being sent: the race is set up.
    expect((await queue.get(claimed._id))?.status).toBe('processing');

    await peer.dropConnection();
    await sending;

    // Its last error is kept, as the reset keeps it: it says why the item has not gone yet.
    expect(await queue.get(claimed._id), 'an item that failed on the connection of a link in error waits with no attempts counted and no backoff').toMatchObject({
      status: 'ready',
      error_info: null,
      retry: { attempts: 0, next_attempt_at: null, last_error: expect.stringContaining(`the peer at ${peerUrl} is unreachable`) },
    });
    expect((await config.remoteSystem(remote._id))?.outbound_state).toBe('error');
  });
});
