import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SubflowStore } from '../../src/flows/subflow-store.js';
import { loadTemplates, templatesDirectory } from '../../src/flows/templates.js';
import type { DocumentStore } from '@lockstep/store';
import { storeAdapters, type StoreAdapter } from '../store/adapters.js';
import { runtimeStoreVariants, startTestRuntime } from '../support/runtime.js';

const silent = pino({ level: 'silent' });

describe.each(storeAdapters().map((adapter) => [adapter.name, adapter] as const))('loading templates on the %s store', (_name, adapter: StoreAdapter) => {
  describe.skipIf(adapter.skipReason !== undefined)(adapter.skipReason ?? 'store', () => {
    let store: DocumentStore;
    let subflows: SubflowStore;
    let directory: string;
    const template = () => join(directory, 'error-basic.json');

    beforeEach(async () => {
      store = await adapter.open();
      subflows = new SubflowStore(store);
      await subflows.prepare();
      directory = await mkdtemp(join(tmpdir(), 'lockstep-templates-'));
      await writeFile(template(), await readFile(join(templatesDirectory, 'error-basic.json'), 'utf8'));
    });
    afterEach(async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    });
    afterAll(() => adapter.dispose());

    it('publishes a template once, and its changed content as the next version', async () => {
      await loadTemplates(subflows, directory, silent);
      await loadTemplates(subflows, directory, silent);
      expect((await subflows.listVersions('error-basic')).map((version) => version.version)).toEqual([1]);

      const graph = JSON.parse(await readFile(template(), 'utf8'));
      // Formatting is not content: a reindented file publishes nothing.
      await writeFile(template(), JSON.stringify(graph));
      await loadTemplates(subflows, directory, silent);
      expect((await subflows.listVersions('error-basic')).map((version) => version.version)).toEqual([1]);

      await writeFile(template(), JSON.stringify({ ...graph, description: 'Reworded' }));
      await loadTemplates(subflows, directory, silent);
      expect((await subflows.listVersions('error-basic')).map((version) => version.version)).toEqual([1, 2]);
      expect((await subflows.version('error-basic', 1))?.description).toBe(graph.description);
      expect(await subflows.get('error-basic')).toMatchObject({ system: true, status: 'published', version: 2, latest_version: 2, description: 'Reworded' });
    });

    it('refuses a template that is not a subflow graph, naming the file', async () => {
      await writeFile(join(directory, 'broken.json'), JSON.stringify({ name: 'Broken', kind: 'sideways', nodes: [], edges: [] }));
      await expect(loadTemplates(subflows, directory, silent)).rejects.toThrow(/broken\.json is not a subflow graph: kind/);
    });
  });
});

describe.each(runtimeStoreVariants().map((variant) => [variant.name, variant] as const))('restarting a runtime on the %s store', (_name, variant) => {
  it.skipIf(variant.skipReason !== undefined)('does not publish the templates again', async () => {
    const settings = variant.settings();
    const first = await startTestRuntime(settings);
    await first.stop();
    const second = await startTestRuntime({ ...settings, 'data-dir': first.dataDir });
    try {
      for (const id of ['outbound-basic', 'inbound-basic', 'error-basic']) {
        const response = await second.call('GET', `/api/lockstep/v1/subflows/${id}/versions`);
        expect((await response.json()).result.map((version: { version: number }) => version.version)).toEqual([1]);
      }
    } finally {
      await second.dispose();
    }
  });
});
