import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DemoApi } from '../../runtime/src/demo/api.js';
import { configureDemo, type ConfiguredSide } from '../../runtime/src/demo/configure.js';
import { spawnRuntime, type RuntimeProcess } from './runtime-process.js';

/** Where both instances keep their data: files under a directory, or databases on one MongoDB-wire server. */
export type PairStore = { kind: 'embedded' } | { kind: 'mongodb'; uri: string };

export interface PairInstance {
  name: 'consumer' | 'provider';
  url: string;
  /** The instance's admin API. */
  api: DemoApi;
  /** What the demo configuration made on this side. */
  config: ConfiguredSide;
  /** The running process; replaced by `start`. */
  process: RuntimeProcess;
  /** Starts it again on the same port and data, after `stop`. */
  start(): Promise<void>;
  /** Stops it with `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Starts one more process of this instance on `port`, on the same data: its database, on MongoDB, is shared. */
  another(port: number): Promise<RuntimeProcess>;
}

export interface SyncPair {
  a: PairInstance;
  b: PairInstance;
  /** The password of `admin` on both instances. */
  adminPassword: string;
  agentPassword: string;
  /** Kills whatever still runs. */
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Two real `lockstep start` processes, a consumer (A, incidents) and a
 * provider (B, cases), configured through their APIs exactly as `npm start`'s
 * demo configures its pair: activated remote systems, capture definitions,
 * and outbound, inbound and error flows copied from the basic templates. Each
 * keeps its port, so a stopped instance comes back where its peer expects it.
 * `args` go to both processes (retry settings, say), and `env` to their
 * environments (NODE_OPTIONS for a profile, say).
 */
export async function startSyncPair(root: string, store: PairStore, args: string[] = [], env: Record<string, string> = {}): Promise<SyncPair> {
  const password = randomBytes(12).toString('base64url');
  const tag = randomBytes(4).toString('hex');
  const launch = async (name: 'consumer' | 'provider') => {
    const port = await freePort();
    const dataDir = join(root, name);
    await mkdir(dataDir, { recursive: true });
    const storeArgs = store.kind === 'mongodb' ? ['--mongodb-uri', store.uri, '--db-name', `lockstep_pair_${tag}_${name}`] : [];
    // The two call each other on 127.0.0.1, which the outbound guard refuses unless allowed.
    const processArgs = (on: number) => ['--port', String(on), '--data-dir', dataDir, '--name', name, '--outbound-allow', '127.0.0.1', ...storeArgs, ...args];
    const spawnOn = (on: number) => spawnRuntime(processArgs(on), { ...env, LOCKSTEP_ADMIN_PASSWORD: password });
    const spawn = () => spawnOn(port);
    return { name, spawn, spawnOn, process: await spawn() };
  };
  const [a, b] = await Promise.all([launch('consumer'), launch('provider')]);
  const apiA = new DemoApi('consumer', a.process.url, 'admin', password);
  const apiB = new DemoApi('provider', b.process.url, 'admin', password);
  const agentPassword = randomBytes(12).toString('base64url');
  const config = await configureDemo(apiA, apiB, agentPassword);

  const instance = (launched: typeof a, api: DemoApi, side: ConfiguredSide): PairInstance => {
    const made: PairInstance = {
      name: launched.name,
      url: launched.process.url,
      api,
      config: side,
      process: launched.process,
      async start() {
        made.process = await launched.spawn();
      },
      stop: (signal) => made.process.stop(signal),
      another: (port) => launched.spawnOn(port),
    };
    return made;
  };
  const pair = { a: instance(a, apiA, config.consumer), b: instance(b, apiB, config.provider) };
  return {
    ...pair,
    adminPassword: password,
    agentPassword,
    async close() {
      await Promise.all([pair.a.stop('SIGKILL'), pair.b.stop('SIGKILL')]);
    },
  };
}

export { until } from '../../runtime/test/support/until.js';
