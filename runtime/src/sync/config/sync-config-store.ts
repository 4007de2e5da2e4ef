import type { CaptureDefinition, FlowLink, ProcessEvent, ProcessSyncDefinition, RemoteSystem, RemoteSystemState } from '@lockstep/schema';
import type { Logger } from 'pino';
import { ReadCache, type DocumentStore } from '@lockstep/store';
import { CaptureDefinitionCache } from './capture-definition-cache.js';
import { ConfigRecords } from './config-records.js';
import { ConnectionSecrets } from './connection-secrets.js';
import { outboundFlowPerEventAndRemote } from './outbound-flow-index.js';
import { RemoteSystemRecords } from './remote-system-records.js';
import type { SecretBox } from './secret-box.js';
import { SecretUpkeep } from './secret-upkeep.js';
import type {
  StoredCaptureDefinition,
  StoredFlowLink,
  StoredProcessEvent,
  StoredProcessSyncDefinition,
  StoredRemoteSystem,
} from './stored-records.js';

export type { StoredCaptureDefinition, StoredFlowLink, StoredProcessEvent, StoredProcessSyncDefinition, StoredRemoteSystem } from './stored-records.js';

export interface SyncConfigStoreOptions {
  /**
   * How long capture definitions read into memory are used before being read
   * again: how soon a change made through another runtime process on the same
   * database reaches this one's capture. @default 5000
   */
  captureCacheMaxAgeMs?: number;
  /**
   * How long, on MongoDB, the look-ups made for every change (a remote
   * system, a process event, the flows of one) are used before being read
   * again, for writes by other runtime processes; this process's own writes
   * drop them at once. @default 1000
   */
  lookupMaxAgeMs?: number;
  /** How long a signing secret replaced by a newer one still verifies, from when the newer one was added. @default 7 days */
  signingSecretGraceMs?: number;
  /** The clock of the signing secrets' grace periods. @default Date.now */
  now?: () => number;
  /** Where the secrets' upkeep says what it sealed or erased. */
  logger?: Logger;
}

const WEEK_MS = 7 * 24 * 60 * 60_000;

const REMOTE_SYSTEMS = 'sync_remote_system';
const PROCESS_EVENTS = 'sync_process_event';
const OUTBOUND_FLOWS = 'sync_outbound_flow';
const INBOUND_FLOWS = 'sync_inbound_flow';

/** Who changes a remote system's state when the runtime does (an error, an activation). */
const RUNTIME_ACTOR = 'system';

/**
 * The Remote Process Sync configuration: process sync definitions and their
 * related records, with the look-ups that capture, the dispatcher and the
 * inbound API make on every change they handle.
 */
export class SyncConfigStore {
  readonly definitions: ConfigRecords<ProcessSyncDefinition, StoredProcessSyncDefinition>;
  readonly processEvents: ConfigRecords<ProcessEvent, StoredProcessEvent>;
  readonly captureDefinitions: ConfigRecords<CaptureDefinition, StoredCaptureDefinition>;
  readonly remoteSystems: ConfigRecords<RemoteSystem, StoredRemoteSystem>;
  readonly outboundFlows: ConfigRecords<FlowLink, StoredFlowLink>;
  readonly inboundFlows: ConfigRecords<FlowLink, StoredFlowLink>;
  private readonly store: DocumentStore;
  private readonly captureCache: CaptureDefinitionCache;
  private readonly lookups: ReadCache;
  private readonly secretUpkeep: SecretUpkeep;

  /** `secrets` seals the remote systems' passwords and signing secrets in the store. */
  constructor(store: DocumentStore, secrets: SecretBox, options: SyncConfigStoreOptions = {}) {
    this.store = store;
    this.lookups = new ReadCache(store, options.lookupMaxAgeMs ?? 1000);
    const byName = { name: 1, _id: 1 } as const;
    const byCreation = { sys_created_on: 1, _id: 1 } as const;
    this.captureCache = new CaptureDefinitionCache(
      () => this.captureDefinitions.find({ state: 'active' }),
      options.captureCacheMaxAgeMs ?? 5000,
    );
    this.definitions = new ConfigRecords(store.collection('sync_definition'), byName);
    this.processEvents = new ConfigRecords(store.collection(PROCESS_EVENTS), byName);
    this.captureDefinitions = new ConfigRecords(store.collection('sync_capture_definition'), { order: 1, _id: 1 }, () => this.captureCache.invalidate());
    const connections = new ConnectionSecrets(secrets, options.signingSecretGraceMs ?? WEEK_MS, options.now ?? Date.now);
    this.remoteSystems = new RemoteSystemRecords(store.collection(REMOTE_SYSTEMS), byName, connections);
    this.secretUpkeep = new SecretUpkeep(store.collection(REMOTE_SYSTEMS), connections, options.logger);
    this.outboundFlows = new ConfigRecords(store.collection(OUTBOUND_FLOWS), byCreation);
    this.inboundFlows = new ConfigRecords(store.collection(INBOUND_FLOWS), byCreation);
  }

  async prepare(): Promise<void> {
    const index = (collection: string, fields: string[], unique = false) => this.store.collection(collection).createIndex({ fields, unique });
    await Promise.all([
      // Names are what people pick records by, and a process event's name is what links the two instances.
      index('sync_process_event', ['process_sync_definition', 'name'], true),
      index('sync_process_event', ['name']),
      index('sync_remote_system', ['process_sync_definition', 'name'], true),
      // Which are active is read for every scan and capture, and on MongoDB read again every few seconds.
      index('sync_remote_system', ['outbound_state']),
      index('sync_remote_system', ['inbound_state']),
      index('sync_capture_definition', ['state']),
      index('sync_capture_definition', ['process_sync_definition']),
      index('sync_capture_definition', ['process_event']),
      index('sync_outbound_flow', ['process_event']),
      index('sync_outbound_flow', ['remote_system']),
      outboundFlowPerEventAndRemote(this.store),
      // One inbound subflow handles what one remote system sends for one process event.
      index('sync_inbound_flow', ['process_event', 'remote_system'], true),
      index('sync_inbound_flow', ['remote_system']),
    ]);
    await this.secretUpkeep.atStart();
  }

  /** Erases rotated signing secrets as their grace periods end, until `stop`. */
  start(): void {
    this.secretUpkeep.start();
  }

  stop(): Promise<void> {
    return this.secretUpkeep.stop();
  }

  /**
   * The active capture definitions whose source table is one of `tables`
   * (a record's table and those it extends), by order, then `_id`. Served
   * from memory, as capture asks on every record write: the records are
   * shared, so do not change them.
   */
  captureDefinitionsFor(tables: string[]): Promise<StoredCaptureDefinition[]> {
    return this.captureCache.for(tables);
  }

  /*
   * The look-ups below are made for every change sync handles, so their
   * answers are held in memory (ReadCache): shared objects, not to be changed.
   */

  processEvent(id: string): Promise<StoredProcessEvent | null> {
    return this.lookups.read(`event:${id}`, [PROCESS_EVENTS], () => this.processEvents.get(id));
  }

  /**
   * The process event of this name, the link between the two instances. Names
   * are unique within a definition only: give the definition when it is
   * known; without it, the first of that name by sys_id.
   */
  processEventByName(name: string, processSyncDefinition?: string): Promise<StoredProcessEvent | null> {
    return this.lookups.read(`event-named:${processSyncDefinition}:${name}`, [PROCESS_EVENTS], async () => {
      const [event] = await this.processEvents.find({ name, process_sync_definition: processSyncDefinition }, { limit: 1, offset: 0 });
      return event ?? null;
    });
  }

  remoteSystem(id: string): Promise<StoredRemoteSystem | null> {
    return this.lookups.read(`remote:${id}`, [REMOTE_SYSTEMS], () => this.remoteSystems.get(id));
  }

  /** The ids of the remote systems whose inbound or outbound state is active. */
  activeRemoteSystems(direction: 'inbound' | 'outbound'): Promise<Set<string>> {
    return this.lookups.read(`active:${direction}`, [REMOTE_SYSTEMS], async () => {
      const active = await this.remoteSystems.find(direction === 'inbound' ? { inbound_state: 'active' } : { outbound_state: 'active' });
      return new Set(active.map((remote) => remote._id));
    });
  }

  /** Every outbound flow to run for a change captured for this process event, oldest first. */
  outboundFlowsFor(processEventId: string): Promise<StoredFlowLink[]> {
    return this.lookups.read(`outbound:${processEventId}`, [OUTBOUND_FLOWS], () => this.outboundFlows.find({ process_event: processEventId }));
  }

  /** The inbound flow that processes what this remote system sends for this process event. */
  inboundFlowFor(processEventId: string, remoteSystemId: string): Promise<StoredFlowLink | null> {
    return this.lookups.read(`inbound:${processEventId}:${remoteSystemId}`, [INBOUND_FLOWS], async () => {
      const [flow] = await this.inboundFlows.find({ process_event: processEventId, remote_system: remoteSystemId }, { limit: 1, offset: 0 });
      return flow ?? null;
    });
  }

  /**
   * Writes this process has made to what decides which queue items may go:
   * the remote systems (their states) and the flows. A queue worker compares
   * it with what it was at its last scan (KeyedWork.decidingWrites).
   */
  decidingWrites(): number {
    return [REMOTE_SYSTEMS, OUTBOUND_FLOWS, INBOUND_FLOWS].reduce((sum, collection) => sum + this.store.writeCount(collection), 0);
  }

  /** For Validate and Activate, and for the runtime when a connection fails; null when there is no such remote system. */
  setRemoteSystemState(id: string, direction: 'inbound' | 'outbound', state: RemoteSystemState): Promise<StoredRemoteSystem | null> {
    const fields: Partial<RemoteSystem> = direction === 'inbound' ? { inbound_state: state } : { outbound_state: state };
    return this.remoteSystems.update(id, fields, RUNTIME_ACTOR);
  }
}
