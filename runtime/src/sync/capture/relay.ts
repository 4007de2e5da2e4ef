import type { Logger } from 'pino';
import type { OutboxIntent } from '../../table/record-capture.js';
import type { PendingOutbox, RecordOutboxes } from '../../table/record-outbox.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import { correlationKey, outboundItemId, type OutboundQueue } from '../outbound/outbound-queue.js';
import type { SequenceCounters } from './sequences.js';

/** What the relay reads of the sync configuration. */
export type RelayConfig = Pick<SyncConfigStore, 'outboundFlowsFor' | 'remoteSystem'>;

export interface OutboxRelayParts {
  outboxes: RecordOutboxes;
  queue: OutboundQueue;
  sequences: SequenceCounters;
  config: RelayConfig;
  logger: Logger;
}

/** Records taken per table hierarchy and pass; a full batch makes the loop go again at once. */
const BATCH = 250;

/**
 * Moves capture intents from records' outboxes into the outbound queue, then
 * removes them from the records. Every step can be repeated after a crash:
 * a queue item's id comes from its intent and remote system, so a second
 * move inserts nothing, and sequence numbers are taken so that a repeated
 * move gets its number again (SequenceCounters).
 */
export class OutboxRelay {
  constructor(private readonly parts: OutboxRelayParts) {}

  /** One pass over the outboxes that hold intents, records in parallel. True when more may be waiting. */
  async relayPending(): Promise<boolean> {
    const pending = await this.parts.outboxes.pending(BATCH);
    const relayed = await Promise.all(pending.map((outbox) => this.relayOutbox(outbox)));
    // A failing record is retried on the next tick, not in a tight loop.
    return pending.length >= BATCH && relayed.every(Boolean);
  }

  /**
   * Moves one record's intents oldest first, stopping at one that fails so
   * that none overtakes it, then removes them: in one write when no intent
   * came meanwhile, else one by one, leaving the new ones for the next pass.
   */
  async relayOutbox(outbox: PendingOutbox): Promise<boolean> {
    try {
      for (const entry of outbox.entries) await this.moveIntent(JSON.parse(entry) as OutboxIntent);
      if (await this.parts.outboxes.clear(outbox)) return true;
      for (const entry of outbox.entries) await this.parts.outboxes.remove(outbox, entry);
      await this.parts.outboxes.settle(outbox);
      return true;
    } catch (error) {
      this.parts.logger.error({ err: error, storage: outbox.storage, sys_id: outbox.sysId }, 'could not relay a captured change; it stays in the outbox for the next pass');
      return false;
    }
  }

  /** Queues the intent once for each remote system that an outbound flow of its process event sends to. */
  async moveIntent(intent: OutboxIntent): Promise<void> {
    for (const remoteSystem of await this.destinations(intent)) await this.queueTo(intent, remoteSystem);
  }

  /** Not the remote system the change came from (no echo), nor one whose outbound state is disabled. */
  private async destinations(intent: OutboxIntent): Promise<string[]> {
    const flows = await this.parts.config.outboundFlowsFor(intent.process_event);
    const candidates = echoFree(flows.map((flow) => flow.remote_system), intent.origin);
    const systems = await Promise.all(candidates.map((id) => this.parts.config.remoteSystem(id)));
    return candidates.filter((_, index) => {
      const system = systems[index];
      return system !== null && system !== undefined && system.outbound_state !== 'disabled';
    });
  }

  private async queueTo(intent: OutboxIntent, remoteSystem: string): Promise<void> {
    const { captured } = intent;
    const key = correlationKey(captured.table, captured.sys_id, remoteSystem);
    const id = outboundItemId(intent.id, remoteSystem);
    const sequence = await this.parts.sequences.assign(key, intent.id, () => this.parts.queue.exists(id));
    if (sequence === null) return;
    await this.parts.queue.insert({
      _id: id,
      process_event: intent.process_event,
      remote_system: remoteSystem,
      capture_definition: intent.capture_definition,
      correlation_key: key,
      sequence,
      operation: captured.operation,
      record: { table: captured.table, sys_id: captured.sys_id, mod_count: captured.metadata.mod_count },
      payload_json: JSON.stringify(captured),
      origin_intent: intent.id,
      captured_at: intent.captured_at,
      sys_domain: captured.metadata.domain,
    });
  }
}

/** The remote systems a change may go to: each once, and never the one it came from, which would echo it back. */
export function echoFree(remoteSystems: readonly string[], origin: string | null): string[] {
  return [...new Set(remoteSystems)].filter((remoteSystem) => remoteSystem !== origin);
}
