import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueDatabaseName } from '../runtime/test/store/adapters.js';
import { spawnRuntime } from './support/runtime-process.js';

const admin = `Basic ${Buffer.from('admin:start-test-password').toString('base64')}`;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lockstep-start-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

function call(url: string, method: string, path: string, body?: unknown, auth = admin) {
  return fetch(`${url}${path}`, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('lockstep start', () => {
  it('keeps a record across a restart, and stops cleanly on SIGTERM', async () => {
    // At debug, where a request that succeeded is logged.
    const first = await spawnRuntime(['--data-dir', dataDir], { LOCKSTEP_ADMIN_PASSWORD: 'start-test-password', LOG_LEVEL: 'debug' });
    const health = await (await fetch(`${first.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', store: { kind: 'embedded' } });

    const created = await call(first.url, 'POST', '/api/now/table/incident', { short_description: 'Survives restarts', priority: '1' });
    expect(created.status).toBe(201);
    const { result } = await created.json();
    expect(await first.stop('SIGTERM')).toBe(0);
    const requestLog = first.output.map((line) => JSON.parse(line)).find((entry) => entry.req?.method === 'POST');
    expect(requestLog, first.output.join('\n')).toMatchObject({ req: { url: '/api/now/table/incident' }, res: { statusCode: 201 } });
    expect(JSON.stringify(requestLog)).not.toContain(Buffer.from('admin:start-test-password').toString('base64'));
    expect(first.output.some((line) => line.includes('"msg":"stopped"'))).toBe(true);

    const second = await spawnRuntime(['--data-dir', dataDir]);
    const query = encodeURIComponent('short_descriptionSTARTSWITHSurvives^priority=1');
    const found = await (await call(second.url, 'GET', `/api/now/table/incident?sysparm_query=${query}`)).json();
    expect(found.result).toEqual([expect.objectContaining({ sys_id: result.sys_id, number: result.number })]);
    expect(await second.stop('SIGTERM')).toBe(0);
  });

  const mongodbUri = inject('mongodbUri');
  it.skipIf(mongodbUri === null)(`keeps a record across a restart on MongoDB (${mongodbUri === null ? `skipped: ${inject('mongodbSource')}` : inject('mongodbSource')})`, async () => {
    const settings = ['--mongodb-uri', mongodbUri ?? '', '--db-name', uniqueDatabaseName()];
    const first = await spawnRuntime(settings, { LOCKSTEP_ADMIN_PASSWORD: 'start-test-password' });
    expect(await (await fetch(`${first.url}/health`)).json()).toMatchObject({ status: 'ok', store: { kind: 'mongodb' } });
    const { result } = await (await call(first.url, 'POST', '/api/now/table/case', { short_description: 'Kept in MongoDB', comments: 'first' })).json();
    expect(await first.stop()).toBe(0);

    const second = await spawnRuntime(settings);
    const found = await (await call(second.url, 'GET', `/api/now/table/task?sysparm_query=${encodeURIComponent('short_descriptionCONTAINSmongodb')}`)).json();
    expect(found.result).toEqual([expect.objectContaining({ sys_id: result.sys_id, number: result.number, sys_class_name: 'case' })]);
    expect(await second.stop()).toBe(0);
  });

  it('finishes a request in flight when told to stop, and then exits', async () => {
    const runtime = await spawnRuntime(['--data-dir', dataDir], { LOCKSTEP_ADMIN_PASSWORD: 'start-test-password' });
    const body = JSON.stringify({ short_description: 'sent across a shutdown' });
    const { hostname, port } = new URL(runtime.url);
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      // Expect: 100-continue, so the server says when it has the request's headers: the request is then in flight.
      const headers = { authorization: admin, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' };
      const req = request({ hostname, port, method: 'POST', path: '/api/now/table/incident', headers }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      // Half the body once the server has the request; the rest only once it says it is shutting down.
      req.on('continue', () => {
        req.write(body.slice(0, 10));
        runtime.child.kill('SIGTERM');
        runtime.printed((line) => line.includes('shutting down')).then(() => req.end(body.slice(10)), reject);
      });
      req.flushHeaders();
    });
    const answered = await response;
    expect(answered.status, answered.text).toBe(201);
    expect(await runtime.stop()).toBe(0);
  });

  it('creates the first admin with a generated password, printed once', async () => {
    const freshDir = await mkdtemp(join(tmpdir(), 'lockstep-first-'));
    try {
      const first = await spawnRuntime(['--data-dir', freshDir]);
      const line = first.output.find((text) => text.includes('with password'));
      const password = /with password (\S+)/.exec(line ?? '')?.[1];
      expect(password, first.output.join('\n')).toMatch(/^[\w-]{24}$/);
      const me = await call(first.url, 'GET', '/api/lockstep/v1/me', undefined, `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`);
      expect((await me.json()).result.roles).toEqual(['admin']);
      await first.stop();

      const second = await spawnRuntime(['--data-dir', freshDir]);
      expect(second.output.some((text) => text.includes('with password'))).toBe(false);
      await second.stop();
    } finally {
      await rm(freshDir, { recursive: true, force: true });
    }
  });

  it('refuses bad settings with a message that names the setting', async () => {
    await expect(spawnRuntime(['--port', 'eighty'])).rejects.toThrow(/--port \/ PORT/);
  });
});
