import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, until } from './support/sync-pair.js';

const cli = fileURLToPath(new URL('../runtime/dist/cli.js', import.meta.url));

interface Demo {
  child: ChildProcess;
  output: string[];
  consumer: string;
  provider: string;
  password: string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

/** Runs the built CLI's `demo` on `ports` and resolves once it prints both URLs and where the passwords are; the admin's is read from there. */
async function startDemo(dataDir: string, [consumerPort, providerPort]: [number, number]): Promise<Demo> {
  const child = spawn(process.execPath, [cli, 'demo', '--data-dir', dataDir, '--consumer-port', String(consumerPort), '--provider-port', String(providerPort)], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const found = await new Promise<{ consumer: string; provider: string; password: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start in 60 s:\n${output.join('\n')}`)), 60_000);
    child.on('exit', (code) => reject(new Error(`demo exited with ${code} before it was ready:\n${output.join('\n')}`)));
    const seen: Record<string, string> = {};
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const match = /^\s+(consumer|provider) \(\w+\):\s+(\S+)$/.exec(line) ?? /^\s+passwords:\s+all in (\S+)$/.exec(line);
      if (match?.length === 3) seen[match[1]!] = match[2]!;
      else if (match) seen.file = match[1]!;
      if (seen.consumer && seen.provider && seen.file) {
        clearTimeout(timer);
        const { admin_password: password } = JSON.parse(readFileSync(seen.file, 'utf8')) as { admin_password: string };
        resolve({ consumer: seen.consumer, provider: seen.provider, password });
      }
    });
  });
  return { child, output, exited, ...found };
}

/** One user's calls to one instance: the answer's status and its `result`. */
function callsAs(userName: string, password: string) {
  const authorization = `Basic ${Buffer.from(`${userName}:${password}`).toString('base64')}`;
  return async (url: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, { method, headers: { authorization, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, text, result: response.ok && text !== '' ? JSON.parse(text).result : undefined };
  };
}

describe('lockstep demo', () => {
  let dataDir: string;
  let demo: Demo | undefined;
  // Every run on the same ports: the remote systems the first run made point at them.
  let ports: [number, number];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lockstep-demo-'));
    ports = [await freePort(), await freePort()];
  });
  afterAll(async () => {
    if (demo && demo.child.exitCode === null) {
      demo.child.kill('SIGKILL');
      await demo.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('syncs an incident to a case and a comment on the case back, then stops both instances on SIGTERM', { timeout: 120_000 }, async () => {
    demo = await startDemo(dataDir, ports);
    const { consumer, provider, password } = demo;
    const auth = { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`, 'content-type': 'application/json' };
    const call = async (url: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, { method, headers: auth, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await response.text();
      expect(response.ok, `${method} ${path}: ${text}`).toBe(true);
      return JSON.parse(text).result;
    };

    expect(demo.output).toContain('lockstep demo: first run, configuring the sync between the two instances…');
    const credentials = join(dataDir, 'demo-credentials.json');
    expect((await stat(credentials)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(credentials, 'utf8'))).toMatchObject({ admin_password: password });

    const shortDescription = `Email is down ${Date.now()}`;
    const incident = await call(consumer, 'POST', '/api/now/table/incident', { short_description: shortDescription, priority: '2' });
    const query = `/api/now/table/case?sysparm_query=short_description=${encodeURIComponent(shortDescription)}`;
    const kase = await until(async () => (await call(provider, 'GET', query))[0] as { sys_id: string } | undefined, 'the provider has the case');

    await call(provider, 'PATCH', `/api/now/table/case/${kase.sys_id}`, { comments: 'Looking into it' });
    await until(async () => {
      const { comments } = await call(consumer, 'GET', `/api/now/table/incident/${incident.sys_id}`);
      return (comments as { value: string }[]).some((entry) => entry.value.startsWith('Looking into it')) || undefined;
    }, 'the incident has the comment made on the case');

    demo.child.kill('SIGTERM');
    const [code] = await demo.exited;
    expect(code, demo.output.join('\n')).toBe(0);
    expect(demo.output).toContain('lockstep demo: the consumer stopped with exit code 0');
    expect(demo.output).toContain('lockstep demo: the provider stopped with exit code 0');
    await expect(fetch(`${consumer}/health`)).rejects.toThrow();
    await expect(fetch(`${provider}/health`)).rejects.toThrow();

    // A second run reuses the password and the configuration.
    demo = await startDemo(dataDir, ports);
    expect(demo.password).toBe(password);
    expect(demo.output.some((line) => line.includes('first run'))).toBe(false);
    demo.child.kill('SIGTERM');
    expect((await demo.exited)[0]).toBe(0);
  });

  it("keeps the provider's customers apart: acme's integration lives in acme, and globex's admin sees its own cases, never acme's cases or configuration", { timeout: 120_000 }, async () => {
    demo = await startDemo(dataDir, ports);
    const { consumer, provider, password } = demo;
    const passwords = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8')).customer_passwords as Record<string, string>;
    expect(Object.keys(passwords).sort()).toEqual(['acme.admin', 'acme.agent', 'globex.admin', 'globex.agent']);
    for (const userName of Object.keys(passwords)) {
      expect(demo.output.some((line) => line.includes(userName)), `${userName}'s login is printed`).toBe(true);
      expect(demo.output.some((line) => line.includes(passwords[userName]!)), `${userName}'s password is not printed`).toBe(false);
    }
    expect(demo.output.some((line) => line.includes(password)), "the admin's password is not printed").toBe(false);
    const admin = callsAs('admin', password);
    const globex = callsAs('globex.admin', passwords['globex.admin']!);
    const acme = callsAs('acme.admin', passwords['acme.admin']!);

    // An incident on the consumer becomes a case of acme's, the customer whose integration made it.
    const shortDescription = `Acme's mail is slow ${Date.now()}`;
    expect((await admin(consumer, 'POST', '/api/now/table/incident', { short_description: shortDescription, priority: '3' })).status).toBe(201);
    const query = `/api/now/table/case?sysparm_query=short_description=${encodeURIComponent(shortDescription)}`;
    const acmeCase = await until(async () => ((await admin(provider, 'GET', query)).result as { sys_id: string; sys_domain: string }[])[0], 'the provider has the case');
    expect(acmeCase.sys_domain).toBe('global/acme');
    const [definition] = (await admin(provider, 'GET', '/api/lockstep/v1/sync/definitions')).result as { sys_id: string; sys_domain: string }[];
    expect(definition).toMatchObject({ sys_domain: 'global/acme' });

    // Globex's admin: its own cases, and acme's case and configuration answered as missing.
    const globexCases = (await globex(provider, 'GET', '/api/now/table/case?sysparm_fields=sys_id,short_description,sys_domain')).result as { sys_id: string; short_description: string; sys_domain: string }[];
    expect(globexCases.map((kase) => kase.short_description).sort()).toEqual(['Globex: badge reader at gate 2 is offline', 'Globex: new starter needs a laptop', 'Globex: printer on floor 3 jams']);
    expect(globexCases.every((kase) => kase.sys_domain === 'global/globex')).toBe(true);
    expect((await globex(provider, 'GET', `/api/now/table/case/${globexCases[0]!.sys_id}`)).status).toBe(200);
    expect((await globex(provider, 'GET', `/api/now/table/case/${acmeCase.sys_id}`)).status).toBe(404);
    expect((await globex(provider, 'GET', '/api/lockstep/v1/sync/definitions')).result).toEqual([]);
    expect((await globex(provider, 'GET', `/api/lockstep/v1/sync/definitions/${definition!.sys_id}`)).status).toBe(404);

    // Acme's admin: its case and its integration, and none of globex's cases.
    expect((await acme(provider, 'GET', `/api/now/table/case/${acmeCase.sys_id}`)).status).toBe(200);
    expect(((await acme(provider, 'GET', '/api/lockstep/v1/sync/definitions')).result as { sys_id: string }[]).map((seen) => seen.sys_id)).toEqual([definition!.sys_id]);
    expect((await acme(provider, 'GET', `/api/now/table/case/${globexCases[0]!.sys_id}`)).status).toBe(404);

    demo.child.kill('SIGTERM');
    expect((await demo.exited)[0]).toBe(0);
  });
});
