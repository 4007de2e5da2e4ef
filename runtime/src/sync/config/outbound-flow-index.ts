import { DuplicateKeyError, type DocumentStore } from '@lockstep/store';

/**
 * One outbound subflow sends a process event to a remote system, so the pair
 * is unique. A store from before the rule may hold two flows for one pair and
 * cannot take the index: it goes without until one of them is deleted (the
 * next start makes it), and meanwhile the config API's own check refuses any
 * new duplicate. No plain index stands in, as it would then block the unique one.
 */
export async function outboundFlowPerEventAndRemote(store: DocumentStore): Promise<void> {
  try {
    await store.collection('sync_outbound_flow').createIndex({ fields: ['process_event', 'remote_system'], unique: true });
  } catch (error) {
    if (!(error instanceof DuplicateKeyError)) throw error;
  }
}
