import type { CaptureDefinition, FlowLink, ProcessEvent, ProcessSyncDefinition, RemoteSystem, RemoteSystemState } from '@lockstep/schema';
import type { DocumentStore } from '../../store/port.js';
import { CaptureDefinitionCache } from './capture-definition-cache.js';
import { ConfigRecords } from './config-records.js';
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
}

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

  constructor(store: DocumentStore, options: SyncConfigStoreOptions = {}) {
    this.store = store;
    const byName = { name: 1, _id: 1 } as const;
    const byCreation = { sys_created_on: 1, _id: 1 } as const;
    this.captureCache = new CaptureDefinitionCache(
      () => this.captureDefinitions.find({ state: 'active' }),
      options.captureCacheMaxAgeMs ?? 5000,
    );
    this.definitions = new ConfigRecords(store.collection('sync_definition'), byName);
    this.processEvents = new ConfigRecords(store.collection('sync_process_event'), byName);
    this.captureDefinitions = new ConfigRecords(store.collection('sync_capture_definition'), { order: 1, _id: 1 }, () => this.captureCache.invalidate());
    this.remoteSystems = new ConfigRecords(store.collection('sync_remote_system'), byName);
    this.outboundFlows = new ConfigRecords(store.collection('sync_outbound_flow'), byCreation);
    this.inboundFlows = new ConfigRecords(store.collection('sync_inbound_flow'), byCreation);
  }

  async prepare(): Promise<void> {
    const index = (collection: string, fields: string[], unique = false) => this.store.collection(collection).createIndex({ fields, unique });
    await Promise.all([
      // Names are what people pick records by, and a process event's name is what links the two instances.
      index('sync_process_event', ['process_sync_definition', 'name'], true),
      index('sync_process_event', ['name']),
      index('sync_remote_system', ['process_sync_definition', 'name'], true),
      index('sync_capture_definition', ['process_sync_definition']),
      index('sync_capture_definition', ['process_event']),
      index('sync_outbound_flow', ['process_event']),
      index('sync_outbound_flow', ['remote_system']),
      // One inbound subflow handles what one remote system sends for one process event.
      index('sync_inbound_flow', ['process_event', 'remote_system'], true),
      index('sync_inbound_flow', ['remote_system']),
    ]);
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

  processEvent(id: string): Promise<StoredProcessEvent | null> {
    return this.processEvents.get(id);
  }

  /**
   * The process event of this name, the link between the two instances. Names
   * are unique within a definition only: give the definition when it is
   * known; without it, the first of that name by sys_id.
   */
  async processEventByName(name: string, processSyncDefinition?: string): Promise<StoredProcessEvent | null> {
    const [event] = await this.processEvents.find({ name, process_sync_definition: processSyncDefinition }, { limit: 1, offset: 0 });
    return event ?? null;
  }

  remoteSystem(id: string): Promise<StoredRemoteSystem | null> {
    return this.remoteSystems.get(id);
  }

  /** Every outbound flow to run for a change captured for this process event, oldest first. */
  outboundFlowsFor(processEventId: string): Promise<StoredFlowLink[]> {
    return this.outboundFlows.find({ process_event: processEventId });
  }

  /** The inbound flow that processes what this remote system sends for this process event. */
  async inboundFlowFor(processEventId: string, remoteSystemId: string): Promise<StoredFlowLink | null> {
    const [flow] = await this.inboundFlows.find({ process_event: processEventId, remote_system: remoteSystemId }, { limit: 1, offset: 0 });
    return flow ?? null;
  }

  /** For Validate and Activate, and for the runtime when a connection fails; null when there is no such remote system. */
  setRemoteSystemState(id: string, direction: 'inbound' | 'outbound', state: RemoteSystemState): Promise<StoredRemoteSystem | null> {
    const fields: Partial<RemoteSystem> = direction === 'inbound' ? { inbound_state: state } : { outbound_state: state };
    return this.remoteSystems.update(id, fields, RUNTIME_ACTOR);
  }
}
