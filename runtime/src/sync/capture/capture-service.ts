import type { Logger } from 'pino';
import type { TableDictionary } from '../../dictionary/dictionary.js';
import type { DocumentStore } from '@lockstep/store';
import type { RecordCapture } from '../../table/record-capture.js';
import { RecordOutboxes } from '../../table/record-outbox.js';
import { OutboundQueue } from '../outbound/outbound-queue.js';
import { ChangeCapture, type CaptureDefinitionSource } from './change-capture.js';
import { OutboxRelay, type RelayConfig } from './relay.js';
import { PassLoop } from '../../queue/pass-loop.js';

export interface CaptureServiceParts {
  store: DocumentStore;
  dictionary: TableDictionary;
  /** The sync configuration (SyncConfigStore), shared with the config API so that its writes reach capture at once. */
  config: CaptureDefinitionSource & RelayConfig;
  logger: Logger;
  /**
   * How often the relay looks for intents no write announced: those a crash
   * left, or another runtime process on the same database. @default 1000
   */
  relayIntervalMs?: number;
  /** The longest wait between those looks, which doubles towards it while they find nothing, as the queue workers' scans do (workerDefaults). @default 10_000 */
  relayIdleIntervalMs?: number;
}

/**
 * Capture and its relay, wired: give `capture` to the record store, then
 * `start` the relay once the store is ready and `stop` it before closing.
 */
export class CaptureService {
  readonly capture: RecordCapture;
  readonly queue: OutboundQueue;
  readonly relay: OutboxRelay;
  private readonly loop: PassLoop;

  constructor({ store, dictionary, config, logger, relayIntervalMs = 1000, relayIdleIntervalMs = 10_000 }: CaptureServiceParts) {
    const relayLogger = logger.child({ component: 'outbox-relay' });
    this.queue = new OutboundQueue(store);
    this.relay = new OutboxRelay({ outboxes: new RecordOutboxes(store, dictionary), queue: this.queue, sequences: this.queue.sequences, config, logger: relayLogger });
    // The relay's pass runs right after each captured write; the timed ones pick up intents a crash left behind.
    const timing = { intervalMs: relayIntervalMs, idleIntervalMs: Math.max(relayIntervalMs, relayIdleIntervalMs) };
    this.loop = new PassLoop(() => this.relay.relayPending(), relayLogger, 'the outbox relay pass failed', timing);
    this.capture = new ChangeCapture(config, () => this.loop.nudge());
  }

  async prepare(): Promise<void> {
    await this.queue.prepare();
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
