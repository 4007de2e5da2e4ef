import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run the TypeScript sources; the built dist is only for spawned runtime processes.
    alias: {
      // Before '@lockstep/flow', which would otherwise take this path as a prefix.
      '@lockstep/flow/catalog': fileURLToPath(new URL('./packages/flow/src/catalog-entry.ts', import.meta.url)),
      '@lockstep/schema': fileURLToPath(new URL('./packages/schema/src/index.ts', import.meta.url)),
      '@lockstep/flow': fileURLToPath(new URL('./packages/flow/src/index.ts', import.meta.url)),
      '@lockstep/store': fileURLToPath(new URL('./packages/store/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'runtime/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // The default summary, then one plain closing line with the counts.
    reporters: ['default', './test/support/closing-line-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
