import type { Logger } from 'pino';
import type { AttachmentStore } from '../../attachments/attachment-store.js';
import { PassLoop } from '../../queue/pass-loop.js';
import { toDateTime } from '../../time.js';

/** Often enough that nothing outstays its time by much more than a quarter of it, and never less than every five minutes. */
const intervalFor = (ttlMs: number) => Math.min(ttlMs / 4, 5 * 60_000);

/**
 * Removes what a peer pushed for an exchange that never finished: content
 * it never completed (its originator gave up, or failed between the push
 * and the completion), and attachments staged on a correlation record that
 * Move attachments never took (the inbound run failed in between). Both
 * wait `ttlSeconds` first. Retrying the inbound item that offered the files
 * asks for them again, while their keys are valid.
 */
export class PendingContentSweep {
  private readonly loop: PassLoop;

  constructor(
    private readonly attachments: AttachmentStore,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {
    this.loop = new PassLoop(() => this.pass(), logger, 'the sweep of pending attachment content failed', intervalFor(ttlSeconds * 1000));
  }

  start(): void {
    this.loop.start();
  }

  /** Waits for a sweep under way, and starts no other. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async pass(): Promise<boolean> {
    const cutoff = toDateTime(new Date(Date.now() - this.ttlSeconds * 1000));
    let staged = 0;
    for (const attachment of await this.attachments.stagedBefore(cutoff)) if (await this.attachments.dropStaged(attachment)) staged += 1;
    let pushed = 0;
    for (const content of await this.attachments.content.pendingBefore(cutoff)) if (await this.attachments.discardPending(content._id, cutoff)) pushed += 1;
    if (staged + pushed > 0) this.logger.info({ staged, pushed, ttlSeconds: this.ttlSeconds }, 'removed attachments a remote system pushed but never completed, or that were never moved to their record');
    return false;
  }
}
