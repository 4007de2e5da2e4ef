import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { ADMIN, basic, describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';

/** A Windows program: the DOS stub's MZ, and the PE header it points to. */
const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0'), Buffer.alloc(400)]);
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)]);
const pdf = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1');

/** Every file below the runtime's attachment directories (none with the mongodb store, which keeps content in GridFS). */
async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)));
}

async function newIncident(runtime: TestRuntime): Promise<string> {
  return (await (await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'Printer on fire' } })).json()).result.sys_id;
}

function uploadTo(runtime: TestRuntime, record: string, fileName: string, body: Buffer, contentType: string): Promise<Response> {
  const query = new URLSearchParams({ table_name: 'incident', table_sys_id: record, file_name: fileName });
  return fetch(`${runtime.url}/api/now/attachment/file?${query.toString()}`, { method: 'POST', headers: { authorization: basic(ADMIN.user, ADMIN.password), 'content-type': contentType }, body });
}

describeOnEachStore('uploads a hostile user makes', (variant) => {
  let runtime: TestRuntime;
  let incident: string;
  const upload = (fileName: string, body: Buffer, contentType: string) => uploadTo(runtime, incident, fileName, body, contentType);

  beforeAll(async () => {
    runtime = await startTestRuntime({ ...variant.settings(), 'attachment-extensions': 'png,txt,pdf' });
    incident = await newIncident(runtime);
  });
  afterAll(() => runtime.dispose());

  /** Nothing stored: no attachment, no content indexed, no file written. */
  let before: string;
  const snapshot = async () =>
    JSON.stringify({
      attachments: (await (await runtime.call('GET', `/api/now/attachment?table_sys_id=${incident}`)).json()).result,
      content: await runtime.store.collection('sys_attachment_content').countDocuments({}),
      files: await filesUnder(path.join(runtime.dataDir, 'attachments')),
    });
  beforeEach(async () => {
    before = await snapshot();
    return async () => expect(await snapshot()).toBe(before);
  });

  it('a program named report.png, declared as a PNG, is 415 and nothing is stored', async () => {
    const problem = await expectProblem(await upload('report.png', exe, 'image/png'), 415, 'attachment-executable');
    expect(problem.detail).toBe('the content is an executable (application/x-msdownload, a .exe file); programs and scripts are not accepted as attachments');
  });

  it('a shell script named notes.txt is 415', async () => {
    await expectProblem(await upload('notes.txt', Buffer.from('#!/bin/sh\nrm -rf ~\n'), 'text/plain'), 415, 'attachment-executable');
  });

  it('evil.exe. and its like, whose saved name ends in .exe, are 415 before anything is read', async () => {
    for (const name of ['evil.exe.', 'evil.exe ', 'evil.exe. . .', 'EVIL.EXE.']) {
      const problem = await expectProblem(await upload(name, exe, 'application/octet-stream'), 415, 'attachment-type-not-allowed');
      expect(problem.detail, name).toBe('files ending in .exe are not allowed here; the allowed extensions are pdf, png, txt');
    }
  });

  it('content that is not what its extension says is 415, even as the type it was declared', async () => {
    const problem = await expectProblem(await upload('photo.png', pdf, 'application/pdf'), 415, 'attachment-content-mismatch');
    expect(problem.detail).toBe('the name ends in .png, but the content is application/pdf (a .pdf file); give it a name that ends in .pdf');
  });
});

describe('the limits on one record’s attachments', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime({ 'attachment-extensions': 'png,txt', 'attachment-max-per-record': '2', 'attachment-max-record-bytes': '1000' });
  });
  afterAll(() => runtime.dispose());

  it('refuse a file past the count with 409, and keep the record’s other files', async () => {
    const incident = await newIncident(runtime);
    for (const name of ['one.txt', 'two.txt']) expect((await uploadTo(runtime, incident, name, Buffer.from(`${name}\n`), 'text/plain')).status).toBe(201);
    const problem = await expectProblem(await uploadTo(runtime, incident, 'three.txt', Buffer.from('three\n'), 'text/plain'), 409, 'attachment-limit-reached');
    expect(problem.detail).toBe('the record has 2 attachments, the most one may have here; delete one to attach another');
    // Another record has room of its own.
    expect((await uploadTo(runtime, await newIncident(runtime), 'three.txt', Buffer.from('three\n'), 'text/plain')).status).toBe(201);
  });

  it('refuse a file past the bytes the record has left with 413', async () => {
    const incident = await newIncident(runtime);
    expect((await uploadTo(runtime, incident, 'big.png', Buffer.concat([png, Buffer.alloc(700)]), 'image/png')).status).toBe(201);
    const problem = await expectProblem(await uploadTo(runtime, incident, 'more.png', Buffer.concat([png, Buffer.alloc(300)]), 'image/png'), 413, 'record-attachments-too-large');
    expect(problem.detail).toBe('the file is 380 bytes, more than the 220 bytes the record has left: its attachments may add up to 1000 bytes here, and take up 780');
  });

  it('refuse two uploads at once that each fit but not together: one is stored, the other is 409', async () => {
    const incident = await newIncident(runtime);
    expect((await uploadTo(runtime, incident, 'first.txt', Buffer.from('first\n'), 'text/plain')).status).toBe(201);
    const statuses = await Promise.all(['a.txt', 'b.txt'].map(async (name) => (await uploadTo(runtime, incident, name, Buffer.from(`${name}\n`), 'text/plain')).status));
    expect(statuses.sort()).toEqual([201, 409]);
  });
});
