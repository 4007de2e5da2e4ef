import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { secretFingerprint } from '../../src/sync/config/record-views.js';
import type { SealedRemoteSystem } from '../../src/sync/config/connection-secrets.js';
import { describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { activate, SHARED_SECRET, startPeerPair, type PeerSide } from './peer-pair.js';

/** Every file and directory under `root`, with its permission bits. */
async function modes(root: string): Promise<{ path: string; mode: number; directory: boolean }[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const found = [{ path: '.', mode: (await stat(root)).mode & 0o777, directory: true }];
  for (const entry of entries) {
    const full = path.join(entry.parentPath, entry.name);
    found.push({ path: path.relative(root, full), mode: (await stat(full)).mode & 0o777, directory: entry.isDirectory() });
  }
  return found;
}

describeOnEachStore('secrets at rest', (variant) => {
  let a: PeerSide;
  let b: PeerSide;
  let restarted: TestRuntime | undefined;
  const settings = [variant.settings(), variant.settings()];
  const password = () => b.apiUser.password;

  beforeAll(async () => {
    let side = 0;
    ({ a, b } = await startPeerPair(() => settings[side++] ?? {}));
    for (const one of [a, b]) expect((await activate(one)).status).toBe(200);
  });
  afterAll(async () => {
    // A and its restart share one data directory: one after the other.
    await restarted?.dispose();
    await Promise.all([a?.runtime.dispose(), b?.runtime.dispose()]);
  });

  it('stores the connection password and signing secrets sealed, and never shows them', async () => {
    const stored = await a.runtime.store.collection<SealedRemoteSystem>('sync_remote_system').findOne({ _id: a.remoteSystemId });
    expect(stored?.connection.password).toMatch(/^enc:v1:/);
    expect(stored?.connection.signing_secrets).toEqual([expect.stringMatching(/^enc:v1:/)]);
    const text = JSON.stringify(stored);
    expect(text).not.toContain(password());
    expect(text).not.toContain(SHARED_SECRET);
    const shown = await (await a.runtime.call('GET', `/api/lockstep/v1/sync/remote-systems/${a.remoteSystemId}`)).text();
    expect(JSON.parse(shown).result.connection).toMatchObject({ has_password: true, signing_secrets: [{ fingerprint: secretFingerprint(SHARED_SECRET) }] });
    expect(shown).not.toContain(password());
    expect(shown).not.toContain(SHARED_SECRET);
  });

  it('keeps its key in the data directory, readable by its user alone', async () => {
    const key = path.join(a.runtime.dataDir, 'secret.key');
    expect((await stat(key)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(key, 'utf8')).trim(), 'base64')).toHaveLength(32);
  });

  // Only the embedded store keeps data files of its own; on MongoDB the data lives in the server.
  if (variant.name === 'embedded') it('makes every data file 0600 and every directory 0700, and no file holds a secret in plaintext', async () => {
    const incident = (await (await a.runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'With a file' } })).json()).result.sys_id;
    const query = new URLSearchParams({ table_name: 'incident', table_sys_id: incident, file_name: 'notes.txt' });
    expect((await a.runtime.call('POST', `/api/now/attachment/file?${query.toString()}`, { rawBody: 'some notes', contentType: 'text/plain' })).status).toBe(201);
    const found = await modes(a.runtime.dataDir);
    expect(found.map((entry) => entry.path)).toEqual(expect.arrayContaining(['secret.key', 'sync_remote_system.db', expect.stringMatching(/^attachments\/content\/[0-9a-f]{2}\/[0-9a-f]{64}$/)]));
    for (const entry of found) expect({ path: entry.path, mode: entry.mode.toString(8) }).toEqual({ path: entry.path, mode: entry.directory ? '700' : '600' });
    const file = await readFile(path.join(a.runtime.dataDir, 'sync_remote_system.db'), 'utf8');
    expect(file).toContain('enc:v1:');
    expect(file).not.toContain(password());
    expect(file).not.toContain(SHARED_SECRET);
  });

  it('does not start with another key, and starts again with its own', async () => {
    await a.runtime.stop();
    const again = { ...settings[0], 'data-dir': a.runtime.dataDir, name: 'consumer' };
    await expect(startTestRuntime({ ...again, 'secret-key': randomBytes(32).toString('base64') })).rejects.toThrow(
      `the secrets of remote system provider instance (${a.remoteSystemId}) do not open with this instance's secret key`,
    );
    restarted = await startTestRuntime(again);
    const shown = (await (await restarted.call('GET', `/api/lockstep/v1/sync/remote-systems/${a.remoteSystemId}`)).json()).result;
    expect(shown.connection.signing_secrets).toEqual([{ fingerprint: secretFingerprint(SHARED_SECRET) }]);
  });
});
