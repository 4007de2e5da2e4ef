import { byType } from '@lockstep/flow';
import type { TableDictionary } from '../../dictionary/dictionary.js';
import type { RecordStore } from '../../table/record-store.js';
import type { AttachmentImplementations } from '../attachments/attachment-actions.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { CorrelationStore } from '../correlation/correlation-store.js';
import type { LinkStates } from '../link/link-states.js';
import type { EnvelopeSender } from '../peer/envelope-batcher.js';
import { correlationImplementations } from './correlations.js';
import { queueItemImplementations, type QueueItemQueues } from './queue-item-actions.js';
import { remoteSystemStateImplementation } from './remote-system-state.js';
import { sendPayloadImplementation } from './send-payload.js';
import { transformPayloadImplementation } from './transform.js';

export interface SyncActionParts {
  config: SyncConfigStore;
  correlations: CorrelationStore;
  dictionary: TableDictionary;
  records: RecordStore;
  links: LinkStates;
  queues: QueueItemQueues;
  /** The peer client, through an EnvelopeBatcher: Send steps running together share requests. */
  peers: EnvelopeSender;
  instanceName: string;
  /** The attachment nodes, made where the attachment services are: they share its offers, keys and peer. */
  attachments: AttachmentImplementations;
}

/** Every Sync node's implementation, keyed by node type, for the flow engine's registry. */
export function syncImplementations(parts: SyncActionParts) {
  const { config, correlations, dictionary, records } = parts;
  return {
    ...byType(
      ...correlationImplementations({ correlations, dictionary, records }),
      transformPayloadImplementation,
      remoteSystemStateImplementation(config, parts.links),
      ...queueItemImplementations(parts.queues),
      sendPayloadImplementation({ config, correlations, peers: parts.peers, instanceName: parts.instanceName }),
    ),
    ...parts.attachments,
  };
}
