import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DemoApi } from '../../runtime/src/demo/api.js';
import { linkInstances, type LinkedSide } from '../../runtime/src/demo/link.js';
import { spawnRuntime, type RuntimeProcess } from '../support/runtime-process.js';
import { freePort } from '../support/sync-pair.js';

/** One real `lockstep start` process on the embedded store, with its admin API. */
export interface Instance {
  name: string;
  api: DemoApi;
  process: RuntimeProcess;
}

/** A consumer's link to a provider: each side's remote system for the other. */
export interface Link {
  consumer: LinkedSide;
  provider: LinkedSide;
}

async function start(root: string, name: string, password: string): Promise<Instance> {
  const dataDir = join(root, name);
  await mkdir(dataDir, { recursive: true });
  // They call each other on 127.0.0.1, which the outbound guard refuses unless allowed.
  const process = await spawnRuntime(['--port', String(await freePort()), '--data-dir', dataDir, '--name', name, '--outbound-allow', '127.0.0.1'], { LOCKSTEP_ADMIN_PASSWORD: password });
  return { name, api: new DemoApi(name, process.url, 'admin', password), process };
}

/**
 * Links a consumer with a provider as Remote Process Sync links any two
 * instances: on the provider, the consumer is a remote system in a domain
 * of its own (`global/<consumer>`), with sync users named after it.
 */
export async function link(consumer: Instance, provider: Instance): Promise<Link> {
  const linked = await linkInstances(
    { api: consumer.api, domain: 'global', peerName: provider.name, userPrefix: `${provider.name}.` },
    { api: provider.api, domain: `global/${consumer.name}`, peerName: consumer.name, userPrefix: `${consumer.name}.` },
    'Remote tasks',
  );
  return { consumer: linked.a, provider: linked.b };
}

/**
 * Instances for the tests of the calling file, by name, started before them
 * in a fresh temporary directory and killed and removed after them.
 */
export function useInstances<Name extends string>(topic: string, names: readonly Name[]): () => Record<Name, Instance> {
  let root: string | undefined;
  let started: Record<Name, Instance> | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `lockstep-${topic}-`));
    const password = randomBytes(12).toString('base64url');
    const list = await Promise.all(names.map((name) => start(root!, name, password)));
    started = Object.fromEntries(list.map((instance) => [instance.name, instance])) as Record<Name, Instance>;
  }, 120_000);
  afterAll(async () => {
    await Promise.all(Object.values<Instance>(started ?? ({} as Record<Name, Instance>)).map((instance) => instance.process.stop('SIGKILL')));
    if (root) await rm(root, { recursive: true, force: true });
  });
  return () => {
    if (!started) throw new Error('the instances did not start; see the error of beforeAll');
    return started;
  };
}
