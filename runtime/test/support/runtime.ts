import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { describe, inject } from 'vitest';
import { readConfig } from '../../src/config.js';
import { startRuntime, type RunningRuntime } from '../../src/start.js';
import { uniqueDatabaseName } from '../store/adapters.js';

export const ADMIN = { user: 'admin', password: 'admin-password-for-tests' };

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export interface TestRuntime extends RunningRuntime {
  dataDir: string;
  /** fetch against the runtime, as admin unless `auth` says otherwise (null: no credentials). */
  call(method: string, path: string, options?: { body?: unknown; rawBody?: string; auth?: string | null; contentType?: string }): Promise<Response>;
  /** Ends the runtime and removes its data. */
  dispose(): Promise<void>;
}

/**
 * A real runtime on a free loopback port, over real HTTP, on an embedded
 * store in a fresh directory. It may call 127.0.0.1, where the test's other
 * runtimes and listeners are; a test of the outbound guard sets
 * `outbound-allow` itself.
 */
export async function startTestRuntime(settings: Record<string, string> = {}): Promise<TestRuntime> {
  const dataDir = settings['data-dir'] ?? (await mkdtemp(join(tmpdir(), 'lockstep-test-')));
  const config = readConfig(
    { port: '0', 'data-dir': dataDir, 'admin-user': ADMIN.user, 'admin-password': ADMIN.password, 'log-level': 'silent', 'outbound-allow': '127.0.0.1', ...settings },
    {},
  );
  const runtime = await startRuntime(config, () => undefined);
  let stopped = false;
  return {
    ...runtime,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await runtime.stop();
    },
    call(method, path, options = {}) {
      const headers: Record<string, string> = {};
      const auth = options.auth === undefined ? basic(ADMIN.user, ADMIN.password) : options.auth;
      if (auth !== null) headers.authorization = auth;
      const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
      if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
      return fetch(`${runtime.url}${path}`, { method, headers, body });
    },
    async dispose() {
      await this.stop();
      await rm(dataDir, { recursive: true, force: true });
      if (config.mongodbUri !== undefined) await dropDatabase(config.mongodbUri, config.databaseName ?? '');
    },
  };
}

async function dropDatabase(uri: string, name: string): Promise<void> {
  const client = await MongoClient.connect(uri);
  try {
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

export interface RuntimeStoreVariant {
  name: 'embedded' | 'mongodb';
  /** Why runtimes on this store are not tested in this run; undefined when they are. */
  skipReason: string | undefined;
  /** Settings that put a test runtime on this store, each call on fresh data. */
  settings(): Record<string, string>;
}

/** The embedded store, and MongoDB when the test setup found a server (FerretDB on CI). */
export function runtimeStoreVariants(): RuntimeStoreVariant[] {
  const uri = inject('mongodbUri');
  return [
    { name: 'embedded', skipReason: undefined, settings: () => ({}) },
    {
      name: 'mongodb',
      skipReason: uri === null ? `skipped: ${inject('mongodbSource')}` : undefined,
      settings: () => ({ 'mongodb-uri': uri ?? '', 'db-name': uniqueDatabaseName() }),
    },
  ];
}

/**
 * A suite run once per store variant, against a runtime on that store; a
 * skipped variant's suite says why in its name.
 */
export function describeOnEachStore(title: string, suite: (variant: RuntimeStoreVariant) => void): void {
  describe.each(runtimeStoreVariants().map((variant) => [variant.name, variant] as const))(`${title} on the %s store`, (_name, variant) => {
    describe.skipIf(variant.skipReason !== undefined)(variant.skipReason ?? 'runtime', () => suite(variant));
  });
}
