import { createHash, randomBytes } from 'node:crypto';
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { ADMIN, basic, describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const MAX_BYTES = 64 * 1024;
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const pdf = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');
const elf = Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(64)]);

interface ApiAttachment {
  sys_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  hash: string;
  table_name: string;
  table_sys_id: string;
  sys_domain: string;
  download_link: string;
}

/** Every file below a directory, by path relative to it; none when there is no such directory (the mongodb store keeps no files). */
async function filesUnder(directory: string): Promise<string[]> {
  try {
    const entries = await readdir(directory, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

describeOnEachStore('the Attachment API', (variant) => {
  let runtime: TestRuntime;
  let incident: string;

  beforeAll(async () => {
    runtime = await startTestRuntime({ ...variant.settings(), 'attachment-max-bytes': String(MAX_BYTES), 'attachment-extensions': 'txt,pdf,bin' });
    incident = (await (await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'Printer on fire' } })).json()).result.sys_id;
  });
  afterAll(() => runtime.dispose());

  /** POSTs a file's bytes, as the original's clients do: the body is the file, its type the Content-Type. */
  function upload(fileName: string, body: Buffer | Readable, options: { contentType?: string | null; table?: string; record?: string; auth?: string } = {}): Promise<Response> {
    const query = new URLSearchParams({ table_name: options.table ?? 'incident', table_sys_id: options.record ?? incident, file_name: fileName });
    const headers: Record<string, string> = { authorization: options.auth ?? basic(ADMIN.user, ADMIN.password) };
    if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'text/plain';
    const streamed = body instanceof Readable ? { body: Readable.toWeb(body) as ReadableStream, duplex: 'half' as const } : { body };
    return fetch(`${runtime.url}/api/now/attachment/file?${query.toString()}`, { method: 'POST', headers, ...streamed });
  }

  async function uploaded(fileName: string, body: Buffer, contentType = 'text/plain'): Promise<ApiAttachment> {
    const response = await upload(fileName, body, { contentType });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()).result as ApiAttachment;
  }

  const listed = async (query = `table_name=incident^table_sys_id=${incident}`) =>
    (await (await runtime.call('GET', `/api/now/attachment?sysparm_query=${encodeURIComponent(query)}`)).json()).result as ApiAttachment[];

  it('stores a file with its metadata, lists it under its record, serves it back and deletes it', async () => {
    const bytes = Buffer.from('Toner low; replaced the drum.\n');
    const response = await upload('notes.txt', bytes);
    expect(response.status).toBe(201);
    const created = (await response.json()).result as ApiAttachment;
    expect(response.headers.get('location')).toBe(`/api/now/attachment/${created.sys_id}`);
    expect(created).toMatchObject({
      file_name: 'notes.txt',
      content_type: 'text/plain',
      size_bytes: bytes.length,
      hash: sha256Of(bytes),
      table_name: 'incident',
      table_sys_id: incident,
      sys_domain: 'global',
      download_link: `${runtime.url}/api/now/attachment/${created.sys_id}/file`,
    });
    expect((await (await runtime.call('GET', `/api/now/attachment/${created.sys_id}`)).json()).result).toEqual(created);
    expect(await listed()).toEqual([created]);
    const fields = await runtime.call('GET', `/api/now/attachment?table_sys_id=${incident}&sysparm_fields=file_name,hash`);
    expect(fields.headers.get('x-total-count')).toBe('1');
    expect((await fields.json()).result).toEqual([{ file_name: 'notes.txt', hash: sha256Of(bytes) }]);

    const download = await runtime.call('GET', `/api/now/attachment/${created.sys_id}/file`);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    expect(Object.fromEntries(['content-type', 'content-length', 'content-disposition', 'etag', 'x-content-type-options'].map((name) => [name, download.headers.get(name)]))).toEqual({
      'content-type': 'text/plain',
      'content-length': String(bytes.length),
      'content-disposition': `attachment; filename="notes.txt"; filename*=UTF-8''notes.txt`,
      etag: `"${sha256Of(bytes)}"`,
      'x-content-type-options': 'nosniff',
    });

    expect((await runtime.call('DELETE', `/api/now/attachment/${created.sys_id}`)).status).toBe(204);
    await expectProblem(await runtime.call('GET', `/api/now/attachment/${created.sys_id}`), 404, 'no-such-attachment');
    await expectProblem(await runtime.call('GET', `/api/now/attachment/${created.sys_id}/file`), 404, 'no-such-attachment');
    expect(await listed()).toEqual([]);
  });

  it('keeps content two attachments share until the last of them is deleted', async () => {
    const bytes = randomBytes(20_000);
    const first = await uploaded('one.bin', bytes, 'application/octet-stream');
    const second = await uploaded('two.bin', bytes, 'application/octet-stream');
    expect(second.hash).toBe(first.hash);
    expect((await runtime.call('DELETE', `/api/now/attachment/${first.sys_id}`)).status).toBe(204);
    const download = await runtime.call('GET', `/api/now/attachment/${second.sys_id}/file`);
    expect(sha256Of(Buffer.from(await download.arrayBuffer()))).toBe(first.hash);
    expect((await runtime.call('DELETE', `/api/now/attachment/${second.sys_id}`)).status).toBe(204);
    if (variant.name === 'embedded') expect((await filesUnder(path.join(runtime.dataDir, 'attachments'))).filter((file) => file.includes(first.hash))).toEqual([]);
  });

  it('attaches a file given through a parent table to the record under its own table', async () => {
    const attached = await uploaded('via-task.txt', Buffer.from('hello'), 'text/plain');
    const viaTask = (await (await upload('via-task-too.txt', Buffer.from('hello'), { table: 'task' })).json()).result as ApiAttachment;
    expect([attached.table_name, viaTask.table_name]).toEqual(['incident', 'incident']);
    await runtime.call('DELETE', `/api/now/attachment/${attached.sys_id}`);
    await runtime.call('DELETE', `/api/now/attachment/${viaTask.sys_id}`);
  });

  it('keeps a name like ../../etc/passwd as a name: stored as given, saved under its base name, and never a path', async () => {
    const stored = await uploaded('../../etc/passwd', Buffer.from('root:x:0:0\n'), 'text/plain');
    expect(stored.file_name).toBe('../../etc/passwd');
    const download = await runtime.call('GET', `/api/now/attachment/${stored.sys_id}/file`);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="passwd"; filename*=UTF-8''passwd`);
    // No file took its name, here or where it points from the content directories: content lives under its hash alone.
    const written = await filesUnder(runtime.dataDir);
    expect(written.filter((file) => path.basename(file) === 'passwd')).toEqual([]);
    for (const from of [['attachments', 'content', stored.hash.slice(0, 2)], ['attachments', 'incoming']]) {
      await expect(access(path.resolve(runtime.dataDir, ...from, stored.file_name))).rejects.toMatchObject({ code: 'ENOENT' });
    }
    if (variant.name === 'embedded') expect(written).toContain(path.join('attachments', 'content', stored.hash.slice(0, 2), stored.hash));
    await runtime.call('DELETE', `/api/now/attachment/${stored.sys_id}`);
  });

  it('shows and lets delete a record’s attachments only to who may read or write the record', async () => {
    const stored = await uploaded('private.txt', Buffer.from('secret'), 'text/plain');
    const user = async (name: string, roles: string[], domain = 'global') => {
      await runtime.call('POST', '/api/lockstep/v1/users', { body: { user_name: name, password: `password-of-${name}`, roles, sys_domain: domain } });
      return basic(name, `password-of-${name}`);
    };
    const noRole = await user('attachments.nobody', []);
    const elsewhere = await user('attachments.elsewhere', ['itil'], 'global/acme');
    await expectProblem(await runtime.call('GET', `/api/now/attachment/${stored.sys_id}`, { auth: noRole }), 403, 'missing-role');
    await expectProblem(await runtime.call('GET', `/api/now/attachment/${stored.sys_id}/file`, { auth: elsewhere }), 404, 'no-such-attachment');
    await expectProblem(await runtime.call('DELETE', `/api/now/attachment/${stored.sys_id}`, { auth: elsewhere }), 404, 'no-such-attachment');
    await expectProblem(await upload('x.txt', Buffer.from('x'), { auth: noRole }), 403, 'missing-role');
    await expectProblem(await upload('x.txt', Buffer.from('x'), { auth: elsewhere }), 404, 'no-such-record');
    expect((await (await runtime.call('GET', `/api/now/attachment?table_sys_id=${incident}`, { auth: noRole })).json()).result).toEqual([]);
    await expectProblem(await runtime.call('GET', '/api/now/attachment/file'), 400, 'invalid-sys-id');
    await runtime.call('DELETE', `/api/now/attachment/${stored.sys_id}`);
  });

  describe('a refused upload changes nothing', () => {
    /** Every refusal must leave the attachments, and the content store, as they were. */
    let before: string;
    const snapshot = async () => JSON.stringify({ attachments: await listed(`table_sys_id=${incident}`), files: await filesUnder(path.join(runtime.dataDir, 'attachments')) });
    beforeEach(async () => {
      before = await snapshot();
      return async () => expect(await snapshot()).toBe(before);
    });

    it('a file larger than the limit is 413, from its Content-Length before any byte is read', async () => {
      const response = await upload('big.bin', randomBytes(MAX_BYTES + 1), { contentType: 'application/octet-stream' });
      const problem = await expectProblem(response, 413, 'attachment-too-large');
      expect(problem.detail).toBe(`the file is ${MAX_BYTES + 1} bytes, more than the ${MAX_BYTES} bytes allowed for an attachment here`);
      expect(response.headers.get('connection')).toBe('close');
    });

    it('a streamed file is 413 at the byte past the limit', async () => {
      const chunks = [randomBytes(MAX_BYTES / 2), randomBytes(MAX_BYTES / 2), randomBytes(1)];
      const problem = await expectProblem(await upload('streamed.bin', Readable.from(chunks), { contentType: 'application/octet-stream' }), 413, 'attachment-too-large');
      expect(problem.detail).toBe(`the file is larger than the ${MAX_BYTES} bytes allowed for an attachment here`);
    });

    it('content that is not its declared type is 415, naming what it is', async () => {
      expect((await expectProblem(await upload('report.pdf', Buffer.from('not a pdf'), { contentType: 'application/pdf' }), 415, 'attachment-content-mismatch')).detail).toContain('does not begin the way application/pdf content does');
      expect((await expectProblem(await upload('tool.txt', elf), 415, 'attachment-executable')).detail).toContain('the content is an executable (application/x-elf');
      expect((await expectProblem(await upload('report.txt', pdf), 415, 'attachment-content-mismatch')).detail).toContain('send it with Content-Type: application/pdf');
    });

    it('an extension not allowed, and a body without a type, are 415', async () => {
      expect((await expectProblem(await upload('setup.exe', Buffer.from('x'), { contentType: 'application/octet-stream' }), 415, 'attachment-type-not-allowed')).detail).toContain('bin, pdf, txt');
      await expectProblem(await upload('notes.txt', Buffer.from('x'), { contentType: null }), 415, 'missing-content-type');
    });

    it('bad parameters are 400, and a table or record that is not there 404', async () => {
      await expectProblem(await upload('', Buffer.from('x')), 400, 'invalid-parameter');
      await expectProblem(await upload('line\nbreak.txt', Buffer.from('x')), 400, 'invalid-parameter');
      await expectProblem(await upload('a.txt', Buffer.from('x'), { record: 'nope' }), 400, 'invalid-parameter');
      await expectProblem(await upload('a.txt', Buffer.from('x'), { table: 'sys_user' }), 404, 'unknown-table');
      await expectProblem(await upload('a.txt', Buffer.from('x'), { record: 'f'.repeat(32) }), 404, 'no-such-record');
      await expectProblem(await runtime.call('GET', '/api/now/attachment?sysparm_query=nosuchfield=1'), 400, 'invalid-query');
    });
  });
});
