import { Router } from 'express';
import type { TableDictionary } from '../dictionary/dictionary.js';
import type { SubflowStore } from '../flows/subflow-store.js';
import type { DocumentStore } from '@lockstep/store';
import type { SyncConfigStore } from '../sync/config/sync-config-store.js';
import type { CorrelationStore } from '../sync/correlation/correlation-store.js';
import type { PeerClient } from '../sync/peer/peer-client.js';
import type { RecordStore } from '../table/record-store.js';
import { ActivationStore } from './activation-store.js';
import { Activations } from './activations.js';
import { applyImplementation } from './apply-action.js';
import { consumerRoutes } from './consumer-routes.js';
import { definitionRoutes } from './definition-routes.js';
import { RemoteTaskDefinitions } from './definition-store.js';
import { prepareImplementation } from './prepare-action.js';
import { ProviderClient } from './provider-client.js';
import { providerPeerRoutes } from './provider-peer-routes.js';
import { RemoteTaskRaising } from './raising.js';
import { RemoteTaskRecords } from './remote-task-records.js';
import { RuleBook } from './rule-book.js';
import { triggerRoutes } from './trigger-routes.js';

export interface RemoteTaskDependencies {
  instanceName: string;
  store: DocumentStore;
  dictionary: TableDictionary;
  records: RecordStore;
  subflows: SubflowStore;
  syncConfig: SyncConfigStore;
  correlations: CorrelationStore;
  peers: PeerClient;
}

export interface RemoteTaskApiParts extends RemoteTaskDependencies {
  definitions: RemoteTaskDefinitions;
  activations: ActivationStore;
  tasks: RemoteTaskRecords;
  provider: ProviderClient;
  raising: RemoteTaskRaising;
  activating: Activations;
}

/** The admin API of both sides and the provider's peer API; building it reads none of the parts. */
export function remoteTaskApi(parts: RemoteTaskApiParts): Router {
  const { definitions, activations, syncConfig, dictionary } = parts;
  const api = Router();
  api.use('/lockstep/v1/remote-tasks/definitions', definitionRoutes({ definitions, syncConfig, dictionary }));
  api.use('/lockstep/v1/remote-tasks/triggers', triggerRoutes(activations, parts.activating));
  api.use('/lockstep/v1/remote-tasks', consumerRoutes(parts));
  api.use(providerPeerRoutes(parts));
  return api;
}

/**
 * Remote Tasks on this instance, provider and consumer alike: the stores,
 * the two flow actions the generated flows run, the admin API and the peer
 * API. Everything else is the sync engine's: capture, queues, correlations.
 */
export async function openRemoteTasks(deps: RemoteTaskDependencies) {
  const definitions = new RemoteTaskDefinitions(deps.store);
  const activations = new ActivationStore(deps.store);
  await Promise.all([definitions.prepare(), activations.prepare()]);
  const tasks = new RemoteTaskRecords(deps.records, deps.dictionary);
  const rules = new RuleBook(definitions, activations);
  const provider = new ProviderClient(deps.peers, deps.instanceName);
  const raising = new RemoteTaskRaising({ syncConfig: deps.syncConfig, activations, tasks, provider });
  const activating = new Activations({ syncConfig: deps.syncConfig, subflows: deps.subflows, activations, provider });

  const parts: RemoteTaskApiParts = { ...deps, definitions, activations, tasks, provider, raising, activating };
  return {
    /** Mounted under /api, after authentication. */
    api: remoteTaskApi(parts),
    actions: [
      prepareImplementation({ dictionary: deps.dictionary, records: deps.records, tasks, rules, raising, activations, definitions }),
      applyImplementation({ dictionary: deps.dictionary, records: deps.records, tasks, rules, correlations: deps.correlations, syncConfig: deps.syncConfig }),
    ],
  };
}
