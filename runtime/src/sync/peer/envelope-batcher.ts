import { SYNC_BATCH_LIMIT, type SyncEnvelope } from '@lockstep/schema';
import type { StoredRemoteSystem } from '../config/sync-config-store.js';
import type { InboundAnswer } from '@lockstep/schema';
import type { PeerCallResult, PeerClient } from './peer-client.js';

/** How an outbound flow's Send step delivers its envelope. */
export interface EnvelopeSender {
  send(remote: StoredRemoteSystem, envelope: SyncEnvelope): Promise<PeerCallResult<InboundAnswer>>;
}

/** Requests under way to one peer at most; envelopes that come meanwhile gather for the next. */
const REQUESTS_IN_FLIGHT = 4;
/** Bytes of envelopes in one batch at most: half of what the receiver's body parser takes. */
const BATCH_BYTES = 512 * 1024;

interface Waiting {
  envelope: SyncEnvelope;
  /** The envelope as JSON, made once: it is both measured and sent. */
  json: string;
  bytes: number;
  answer(result: PeerCallResult<InboundAnswer>): void;
}

/** The envelopes waiting for one peer connection, and its requests under way. */
interface Line {
  remote: StoredRemoteSystem;
  waiting: Waiting[];
  sending: number;
}

/**
 * Sends the envelopes that outbound flows hand over at about the same time
 * to one peer together, in one signed request to its batch inbound API;
 * each flow still waits for, and gets, the answer about its own envelope.
 * While REQUESTS_IN_FLIGHT requests to a peer are under way, the next
 * envelopes gather for the one after: a lone envelope goes at once, on its
 * own, and under load each request carries many (a group commit, as the
 * embedded store does for its files). The receiver queues envelopes by id
 * and applies them by sequence, so the order within a batch does not matter.
 */
export class EnvelopeBatcher implements EnvelopeSender {
  private readonly lines = new Map<string, Line>();
  /** Each remote system record's line key; the configuration hands out the same record object until it changes. */
  private readonly keys = new WeakMap<StoredRemoteSystem, string>();

  constructor(private readonly peers: Pick<PeerClient, 'send' | 'sendBatch'>) {}

  send(remote: StoredRemoteSystem, envelope: SyncEnvelope): Promise<PeerCallResult<InboundAnswer>> {
    const key = this.lineKey(remote);
    const line = this.lines.get(key) ?? { remote, waiting: [], sending: 0 };
    this.lines.set(key, line);
    return new Promise((answer) => {
      const json = JSON.stringify(envelope);
      line.waiting.push({ envelope, json, bytes: Buffer.byteLength(json), answer });
      this.pump(key, line);
    });
  }

  /** A changed connection (URL, credentials, secrets) is a line of its own, so no batch mixes two. */
  private lineKey(remote: StoredRemoteSystem): string {
    let key = this.keys.get(remote);
    if (key === undefined) {
      key = JSON.stringify([remote._id, remote.external_id, remote.connection]);
      this.keys.set(remote, key);
    }
    return key;
  }

  private pump(key: string, line: Line): void {
    while (line.sending < REQUESTS_IN_FLIGHT && line.waiting.length > 0) {
      const batch = this.nextBatch(line);
      line.sending += 1;
      void this.deliver(line.remote, batch).finally(() => {
        line.sending -= 1;
        if (line.sending === 0 && line.waiting.length === 0) this.lines.delete(key);
        else this.pump(key, line);
      });
    }
  }

  private nextBatch(line: Line): Waiting[] {
    let bytes = 0;
    let count = 0;
    for (const waiting of line.waiting) {
      if (count === SYNC_BATCH_LIMIT || (count > 0 && bytes + waiting.bytes > BATCH_BYTES)) break;
      bytes += waiting.bytes;
      count += 1;
    }
    return line.waiting.splice(0, count);
  }

  private async deliver(remote: StoredRemoteSystem, batch: Waiting[]): Promise<void> {
    try {
      if (batch.length === 1) {
        const [only] = batch as [Waiting];
        only.answer(await this.peers.send(remote, only.envelope, only.json));
        return;
      }
      const answers = await this.peers.sendBatch(
        remote,
        batch.map((waiting) => waiting.envelope),
        batch.map((waiting) => waiting.json),
      );
      batch.forEach((waiting, index) => waiting.answer(answers[index] as PeerCallResult<InboundAnswer>));
    } catch (error) {
      // The client answers every failure itself; this is a bug, and each flow should still hear of it.
      const message = `sending to ${remote.name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
      for (const waiting of batch) waiting.answer({ outcome: 'unavailable', status: null, retryable: true, message });
    }
  }
}
