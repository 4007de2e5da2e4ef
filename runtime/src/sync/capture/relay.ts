import type { Logger } from 'pino';
import type { PassOutcome } from '../../queue/pass-loop.js';
import type { OutboxIntent } from '../../table/record-capture.js';
import type { PendingOutbox, RecordOutboxes } from '../../table/record-outbox.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import { correlationKey, outboundItemId, type NewOutboundItem, type OutboundQueue } from '../outbound/outbound-queue.js';
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

/** One record's outbox in a pass: its intents, oldest first, and whether moving one failed. */
interface Relaying {
  outbox: PendingOutbox;
  intents: OutboxIntent[];
  failed: boolean;
}

/**
 * Moves capture intents from records' outboxes into the outbound queue, then
 * removes them from the records. Every step can be repeated after a crash:
 * a queue item's id comes from its intent and remote system, so a second
 * move inserts nothing, and sequence numbers are taken so that a repeated
 * move gets its number again (SequenceCounters).
 *
 * A pass moves its records' intents in rounds, the first intent of each
 * record, then the second…: a round numbers its intents in parallel and
 * queues them all in one write, as the embedded store's group commit
 * appends the writes that come together in one. A key's intent is queued
 * before the next one of that key is numbered, which is what lets a moved
 * intent keep its number.
 */
export class OutboxRelay {
  constructor(private readonly parts: OutboxRelayParts) {}

  /** One pass over the outboxes that hold intents: 'more' when more may be waiting at once, 'idle' when none held any. */
  async relayPending(): Promise<PassOutcome> {
    const pending = await this.parts.outboxes.pending(BATCH);
    const relaying = pending.map((outbox): Relaying => ({ outbox, intents: outbox.entries.map((entry) => JSON.parse(entry) as OutboxIntent), failed: false }));
    for (let round = 0; ; round++) {
      const moving = relaying.filter((record) => !record.failed && round < record.intents.length);
      if (moving.length === 0) break;
      await this.moveRound(moving, round);
    }
    const cleared = await Promise.all(relaying.map((record) => !record.failed && this.clear(record.outbox)));
    if (pending.length === 0) return 'idle';
    // A failing record is retried on the next tick, not in a tight loop.
    return pending.length >= BATCH && cleared.every(Boolean) ? 'more' : 'done';
  }

  /** Queues one intent for each remote system that an outbound flow of its process event sends to. */
  async moveIntent(intent: OutboxIntent): Promise<void> {
    await this.parts.queue.insertAll(await this.itemsOf(intent));
  }

  /** Each record's intent of this round, numbered, then queued together; a record whose intent fails stops there. */
  private async moveRound(moving: Relaying[], round: number): Promise<void> {
    const items = await Promise.all(
      moving.map(async (record) => {
        try {
          return await this.itemsOf(record.intents[round] as OutboxIntent);
        } catch (error) {
          this.failed(record, error);
          return [];
        }
      }),
    );
    try {
      await this.parts.queue.insertAll(items.flat());
    } catch (error) {
      for (const record of moving) this.failed(record, error);
    }
  }

  /** The queue items of an intent, numbered; none for a destination it was queued to before. */
  private async itemsOf(intent: OutboxIntent): Promise<NewOutboundItem[]> {
    const items: NewOutboundItem[] = [];
    for (const remoteSystem of await this.destinations(intent)) {
      const item = await this.numbered(intent, remoteSystem);
      if (item) items.push(item);
    }
    return items;
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

  private async numbered(intent: OutboxIntent, remoteSystem: string): Promise<NewOutboundItem | null> {
    const { captured } = intent;
    const key = correlationKey(captured.table, captured.sys_id, remoteSystem);
    const id = outboundItemId(intent.id, remoteSystem);
    const numbering = { id: intent.id, modCount: captured.metadata.mod_count, creates: captured.operation === 'insert' };
    const sequence = await this.parts.sequences.assign(key, numbering, () => this.parts.queue.exists(id));
    if (sequence === null) return null;
    return {
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
    };
  }

  /**
   * Removes the relayed intents from the record: in one write when no intent
   * came meanwhile, else one by one, leaving the new ones for the next pass.
   * That pass also settles the record whose outbox is left empty (another
   * process's relay took the new ones meanwhile): it stays pending, with no
   * intents, and its clear then unmarks it, or deletes a tombstone. Settling
   * it here instead cost two writes more each time, though mostly the new
   * intents were still there, and it could settle nothing.
   */
  private async clear(outbox: PendingOutbox): Promise<boolean> {
    try {
      if (await this.parts.outboxes.clear(outbox)) return true;
      for (const entry of outbox.entries) await this.parts.outboxes.remove(outbox, entry);
      return true;
    } catch (error) {
      this.parts.logger.error({ err: error, storage: outbox.storage, sys_id: outbox.sysId }, 'could not clear relayed changes from a record; they stay in its outbox, and moving them again queues nothing twice');
      return false;
    }
  }

  private failed(record: Relaying, error: unknown): void {
    if (record.failed) return;
    record.failed = true;
    this.parts.logger.error({ err: error, storage: record.outbox.storage, sys_id: record.outbox.sysId }, 'could not relay a captured change; it stays in the outbox for the next pass');
  }
}

/** The remote systems a change may go to: each once, and never the one it came from, which would echo it back. */
export function echoFree(remoteSystems: readonly string[], origin: string | null): string[] {
  return [...new Set(remoteSystems)].filter((remoteSystem) => remoteSystem !== origin);
}
