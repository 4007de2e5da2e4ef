import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { problemHandler } from '../../src/http/error-handler.js';
import { designerAssets } from '../../src/http/designer-assets.js';

/** Serves `designerAssets(root)` on a free port, as createApp mounts it. */
async function serve(root: string): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use('/designer', designerAssets(root));
  app.use(problemHandler);
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('designer assets at /designer', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function site(files: Record<string, string>): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'lockstep-designer-assets-'));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), text);
    }
    const { url, server } = await serve(`${root}/`);
    cleanups.push(async () => {
      server.close();
      await rm(root, { recursive: true, force: true });
    });
    return url;
  }

  it('serves the built app, and index.html for any deeper path so reloads land in the app', async () => {
    const url = await site({ 'index.html': '<title>designer</title>', 'assets/app-1a2b.js': 'console.log(1)' });
    const asset = await fetch(`${url}/designer/assets/app-1a2b.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    for (const path of ['/designer/', '/designer/subflows/x']) {
      const page = await fetch(`${url}${path}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>designer</title>');
    }
    expect((await fetch(`${url}/designer/assets/missing.js`)).status).toBe(404);
  });

  it('sends a strict Content-Security-Policy, no framing and nosniff with every answer', async () => {
    const url = await site({ 'index.html': '<title>designer</title>', 'assets/app-1a2b.js': 'console.log(1)' });
    for (const path of ['/designer/', '/designer/subflows/x', '/designer/assets/app-1a2b.js']) {
      const headers = (await fetch(`${url}${path}`)).headers;
      const policy = Object.fromEntries((headers.get('content-security-policy') ?? '').split(';').map((directive) => directive.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values.join(' ')]));
      expect(policy, path).toEqual({
        'default-src': "'self'",
        'script-src': "'self'",
        'style-src': "'self'",
        'img-src': "'self' data:",
        'font-src': "'self'",
        'connect-src': "'self'",
        'worker-src': "'self'",
        'object-src': "'none'",
        'base-uri': "'none'",
        'form-action': "'self'",
        'frame-ancestors': "'none'",
      });
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('x-frame-options'), path).toBe('DENY');
      expect(headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('answers a malformed % escape in its path with 400 problem+json, not 500', async () => {
    const url = await site({ 'index.html': '<title>designer</title>' });
    for (const path of ['/designer/%E0%A4%A', '/designer/%zz']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).toBe(400);
      expect(response.headers.get('content-type'), path).toContain('application/problem+json');
    }
  });

  it('says how to build it when it has not been built', async () => {
    const url = await site({});
    const response = await fetch(`${url}/designer/`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toContain('npm run build');
  });
});
