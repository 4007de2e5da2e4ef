import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The runtime serves the built app at /designer; the dev server proxies the
 * API to a running runtime (LOCKSTEP_URL, by default the one `npm start` runs).
 */
export default defineConfig({
  base: '/designer/',
  plugins: [react()],
  server: {
    proxy: { '/api': process.env.LOCKSTEP_URL ?? 'http://localhost:8600' },
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
