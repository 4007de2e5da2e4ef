import type { Logger } from 'pino';
import type { Collection } from '@lockstep/store';
import type { ConnectionSecrets, SealedRemoteSystem } from './connection-secrets.js';
import { SecretKeyMismatch } from './secret-box.js';

/** How often rotated secrets are looked for, past their grace; the read path leaves them out meanwhile. */
const UPKEEP_INTERVAL_MS = 60 * 60_000;

export interface UpkeepCounts {
  /** Records whose plaintext secrets were sealed. */
  sealed: number;
  /** Records whose rotated secret was erased. */
  erased: number;
}

/**
 * Keeps the remote systems' secrets as they should be at rest: at start it
 * seals the values stored in plaintext before encryption came (again and
 * again harmlessly: a sealed record is left alone) and checks that every
 * sealed one opens with this instance's key; then, at start and hourly, it
 * erases each secret whose rotation's grace period has passed. Each write
 * is conditional on the sealed password it read, which every write of the
 * connection changes, so a connection saved meanwhile is never overwritten.
 */
export class SecretUpkeep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly records: Collection<SealedRemoteSystem>,
    private readonly secrets: ConnectionSecrets,
    private readonly logger: Logger | undefined,
  ) {}

  async atStart(): Promise<UpkeepCounts> {
    const counts = await this.run(true);
    if (counts.sealed > 0) this.logger?.info({ remoteSystems: counts.sealed }, 'sealed the connection secrets of remote systems stored in plaintext');
    return counts;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.run(false).catch((error: unknown) => this.logger?.warn({ error: (error as Error).message }, 'erasing rotated signing secrets failed; trying again in an hour'));
    }, UPKEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async run(checkKey: boolean): Promise<UpkeepCounts> {
    const counts = { sealed: 0, erased: 0 };
    for (const stored of await this.records.find({})) {
      if (stored.connection === undefined) continue;
      if (checkKey) this.checkOpens(stored);
      const unchanged = { _id: stored._id, 'connection.password': stored.connection.password };
      if (this.secrets.inPlaintext(stored)) {
        const opened = this.secrets.open(stored);
        const { connection, signing_secrets_added } = this.secrets.seal(opened.connection, stored);
        counts.sealed += (await this.records.updateOne(unchanged, { $set: { connection, signing_secrets_added } })).modifiedCount;
      } else if (this.secrets.rotationEnded(stored)) {
        const [first] = stored.connection.signing_secrets;
        const $set = { 'connection.signing_secrets': [first], signing_secrets_added: stored.signing_secrets_added?.slice(0, 1) };
        counts.erased += (await this.records.updateOne(unchanged, { $set })).modifiedCount;
      }
    }
    if (counts.erased > 0) this.logger?.info({ remoteSystems: counts.erased }, 'erased rotated signing secrets past their grace period');
    return counts;
  }

  private checkOpens(stored: SealedRemoteSystem): void {
    try {
      this.secrets.open(stored);
    } catch (error) {
      if (!(error instanceof SecretKeyMismatch)) throw error;
      throw new Error(
        `the secrets of remote system ${stored.name} (${stored._id}) do not open with this instance's secret key; start it with the key that sealed them (LOCKSTEP_SECRET_KEY, or secret.key in the data directory)`,
        { cause: error },
      );
    }
  }
}
