import type { ConnectionAlias } from '@lockstep/schema';
import { SecretBox } from './secret-box.js';
import type { StoredRemoteSystem } from './stored-records.js';

/** A remote system as it is stored: its password and signing secrets sealed, and when each secret was added. */
export interface SealedRemoteSystem extends StoredRemoteSystem {
  /** When each of `connection.signing_secrets` was added (ms since the epoch), in their order; missing on a record stored in plaintext. */
  signing_secrets_added?: number[];
}

/** What a write of a connection stores. */
export interface SealedConnection {
  connection: ConnectionAlias;
  signing_secrets_added: number[];
}

const PASSWORD = 'remote system password';
const SIGNING_SECRET = 'remote system signing secret';

/**
 * Seals a remote system's connection for the store, and opens it again for
 * the runtime. The first signing secret signs; a second one only verifies,
 * during a rotation, and goes once the grace period has passed since the
 * latest of them was added: from then on it is left out when the record is
 * read, and the upkeep erases it from the store.
 */
export class ConnectionSecrets {
  constructor(
    private readonly box: SecretBox,
    private readonly graceMs: number,
    private readonly now: () => number,
  ) {}

  /** `connection` sealed; a secret `current` holds already keeps the time it was added at. */
  seal(connection: ConnectionAlias, current: SealedRemoteSystem | null): SealedConnection {
    const known = current === null ? new Map<string, number>() : this.addedTimes(current);
    const now = this.now();
    return {
      connection: {
        ...connection,
        password: this.box.seal(connection.password, PASSWORD),
        signing_secrets: connection.signing_secrets.map((secret) => this.box.seal(secret, SIGNING_SECRET)),
      },
      signing_secrets_added: connection.signing_secrets.map((secret) => known.get(secret) ?? now),
    };
  }

  /** The record as the runtime uses it: its secrets in the clear, a rotated one past its grace left out. */
  open(stored: SealedRemoteSystem): StoredRemoteSystem {
    const { signing_secrets_added: _added, ...record } = stored;
    // Records written by hand (tests) may lack a connection; there is nothing to open then.
    if (record.connection === undefined) return record;
    const { password, signing_secrets: secrets } = record.connection;
    const kept = this.rotationEnded(stored) ? secrets.slice(0, 1) : secrets;
    return { ...record, connection: { ...record.connection, password: this.reveal(password, PASSWORD), signing_secrets: kept.map((secret) => this.reveal(secret, SIGNING_SECRET)) } };
  }

  /** Whether the record holds a value in plaintext, from before secrets were sealed, or lacks the times its secrets were added. */
  inPlaintext(stored: SealedRemoteSystem): boolean {
    const { password, signing_secrets: secrets } = stored.connection;
    return !SecretBox.isSealed(password) || !secrets.every((secret) => SecretBox.isSealed(secret)) || stored.signing_secrets_added?.length !== secrets.length;
  }

  /** Whether the secrets after the first are past their grace period, and are to be erased. */
  rotationEnded(stored: SealedRemoteSystem): boolean {
    const added = stored.signing_secrets_added;
    if (stored.connection.signing_secrets.length < 2 || added === undefined || added.length === 0) return false;
    return this.now() >= Math.max(...added) + this.graceMs;
  }

  private addedTimes(stored: SealedRemoteSystem): Map<string, number> {
    const added = stored.signing_secrets_added ?? [];
    return new Map(stored.connection.signing_secrets.flatMap((secret, index) => (added[index] === undefined ? [] : [[this.reveal(secret, SIGNING_SECRET), added[index]] as const])));
  }

  /** A value stored before secrets were sealed is read as it is, until the next start seals it. */
  private reveal(value: string, purpose: string): string {
    return SecretBox.isSealed(value) ? this.box.open(value, purpose) : value;
  }
}
