import { randomBytes } from 'node:crypto';
import type { RemoteSystem } from '@lockstep/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentStore } from '@lockstep/store';
import type { SealedRemoteSystem } from '../../src/sync/config/connection-secrets.js';
import { SecretBox } from '../../src/sync/config/secret-box.js';
import { SyncConfigStore } from '../../src/sync/config/sync-config-store.js';
import { storeAdapters } from '../store/adapters.js';

const sysId = () => randomBytes(16).toString('hex');
const PASSWORD = 'the-peer-password-in-the-clear';
const FIRST = 'first-signing-secret-in-the-clear-0000001';
const SECOND = 'second-signing-secret-in-the-clear-000002';
const GRACE_MS = 60_000;

function remoteFields(name: string, secrets = [FIRST]): RemoteSystem {
  return {
    process_sync_definition: sysId(),
    name,
    description: '',
    external_id: null,
    connection: { base_url: 'https://peer.example.com', user_name: 'sync.api', password: PASSWORD, signing_secrets: secrets },
    inbound_api_user: sysId(),
    run_as_user: sysId(),
    error_subflow: null,
    outbound_state: 'disabled',
    inbound_state: 'disabled',
    sys_domain: 'global',
  };
}

describe.each(storeAdapters().map((adapter) => [adapter.name, adapter] as const))('remote systems\' secrets at rest on the %s store', (_name, adapter) => {
  let store: DocumentStore;
  let now = Date.parse('2026-05-01T10:00:00Z');
  const key = new SecretBox(randomBytes(32));
  /** A config store as the runtime makes one at each start, on a clock the test moves. */
  const configStore = async (box = key) => {
    const config = new SyncConfigStore(store, box, { signingSecretGraceMs: GRACE_MS, now: () => now });
    await config.prepare();
    return config;
  };
  const raw = (id: string) => store.collection<SealedRemoteSystem>('sync_remote_system').findOne({ _id: id });

  beforeAll(async () => {
    if (adapter.skipReason === undefined) store = await adapter.open();
  });
  afterAll(async () => {
    await store?.close();
    await adapter.dispose();
  });

  describe.skipIf(adapter.skipReason !== undefined)(adapter.skipReason ?? 'store', () => {
    it('seals the password and each signing secret, and opens them for the runtime', async () => {
      const config = await configStore();
      const created = await config.remoteSystems.insert(remoteFields('Sealed'), 'tester');
      expect(created.connection).toMatchObject({ password: PASSWORD, signing_secrets: [FIRST] });
      const stored = await raw(created._id);
      expect(stored?.connection.password).toMatch(/^enc:v1:/);
      expect(stored?.connection.signing_secrets).toEqual([expect.stringMatching(/^enc:v1:/)]);
      expect(stored?.signing_secrets_added).toEqual([now]);
      expect(JSON.stringify(stored)).not.toContain('in-the-clear');
      expect((await config.remoteSystem(created._id))?.connection).toMatchObject({ password: PASSWORD, signing_secrets: [FIRST] });
    });

    it('erases a replaced signing secret once its grace period has passed since the new one was added', async () => {
      const config = await configStore();
      const { _id: id } = await config.remoteSystems.insert(remoteFields('Rotated'), 'tester');
      const addedFirst = now;
      now += 5_000;
      const rotatedAt = now;
      const rotated = await config.remoteSystems.update(id, { connection: { ...remoteFields('x').connection, signing_secrets: [SECOND, FIRST] } }, 'tester');
      expect(rotated?.connection.signing_secrets).toEqual([SECOND, FIRST]);
      expect((await raw(id))?.signing_secrets_added).toEqual([rotatedAt, addedFirst]);
      // A password change keeps the times: the secrets were not added again.
      now += 1_000;
      await config.remoteSystems.update(id, { connection: { ...remoteFields('x').connection, password: 'another-password', signing_secrets: [SECOND, FIRST] } }, 'tester');
      expect((await raw(id))?.signing_secrets_added).toEqual([rotatedAt, addedFirst]);

      now = rotatedAt + GRACE_MS - 1;
      expect((await config.remoteSystems.get(id))?.connection.signing_secrets).toEqual([SECOND, FIRST]);
      now = rotatedAt + GRACE_MS;
      // Left out at once when read, and erased from the store by the next upkeep (each start, then hourly).
      expect((await config.remoteSystems.get(id))?.connection.signing_secrets).toEqual([SECOND]);
      expect((await raw(id))?.connection.signing_secrets).toHaveLength(2);
      await configStore();
      const erased = await raw(id);
      expect(erased?.connection.signing_secrets).toHaveLength(1);
      expect(erased?.signing_secrets_added).toEqual([rotatedAt]);
      expect((await config.remoteSystems.get(id))?.connection).toMatchObject({ password: 'another-password', signing_secrets: [SECOND] });
    });

    it('seals what an earlier version stored in plaintext at the next start, and leaves it alone after', async () => {
      const plain = { _id: sysId(), ...remoteFields('Plaintext', [FIRST, SECOND]), sys_created_on: '2026-01-01 00:00:00', sys_created_by: 'admin', sys_updated_on: '2026-01-01 00:00:00', sys_updated_by: 'admin' };
      await store.collection('sync_remote_system').insertOne(plain);
      const config = await configStore();
      const sealed = await raw(plain._id);
      expect(JSON.stringify(sealed)).not.toContain('in-the-clear');
      expect(sealed?.signing_secrets_added).toEqual([now, now]);
      expect((await config.remoteSystems.get(plain._id))?.connection).toMatchObject({ password: PASSWORD, signing_secrets: [FIRST, SECOND] });
      await configStore();
      expect(await raw(plain._id)).toEqual(sealed);
    });

    it('does not start with another key, and says which record and what to set', async () => {
      await expect(configStore(new SecretBox(randomBytes(32)))).rejects.toThrow(
        /^the secrets of remote system \w+ \([0-9a-f]{32}\) do not open with this instance's secret key; start it with the key that sealed them \(LOCKSTEP_SECRET_KEY, or secret\.key in the data directory\)$/,
      );
    });
  });
});
