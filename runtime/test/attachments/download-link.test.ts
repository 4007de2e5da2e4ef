import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, basic, startTestRuntime, type TestRuntime } from '../support/runtime.js';

/** GET over node:http, which (unlike fetch) sends the Host header it is given, as a hostile client can. */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const call = request(url, { headers: { host, authorization: basic(ADMIN.user, ADMIN.password) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    call.on('error', reject);
    call.end();
  });
}

/** An attachment on a new incident, as the runtime lists it when asked with a Host header of the caller's choosing. */
async function listedWithHost(runtime: TestRuntime, host: string): Promise<{ sys_id: string; download_link: string }> {
  const incident = (await (await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'Link me' } })).json()).result.sys_id;
  const query = new URLSearchParams({ table_name: 'incident', table_sys_id: incident, file_name: 'notes.txt' });
  const created = await fetch(`${runtime.url}/api/now/attachment/file?${query.toString()}`, { method: 'POST', headers: { authorization: basic(ADMIN.user, ADMIN.password), 'content-type': 'text/plain' }, body: 'notes\n' });
  const { sys_id } = (await created.json()).result as { sys_id: string };
  const answer = await getWithHost(`${runtime.url}/api/now/attachment/${sys_id}`, host);
  expect(answer.status, answer.body).toBe(200);
  return JSON.parse(answer.body).result;
}

describe("an attachment's download_link", () => {
  let runtime: TestRuntime | undefined;
  afterEach(() => runtime?.dispose());

  it('starts with the listening address by default, whatever Host header the request brings', async () => {
    runtime = await startTestRuntime();
    const attachment = await listedWithHost(runtime, 'attacker.example');
    expect(attachment.download_link).toBe(`${runtime.url}/api/now/attachment/${attachment.sys_id}/file`);
  });

  it('starts with --public-url when it is set, a path included', async () => {
    runtime = await startTestRuntime({ 'public-url': 'https://lockstep.example.com/itsm/' });
    const attachment = await listedWithHost(runtime, 'attacker.example');
    expect(attachment.download_link).toBe(`https://lockstep.example.com/itsm/api/now/attachment/${attachment.sys_id}/file`);
  });
});
