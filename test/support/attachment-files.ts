import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { PairInstance } from './sync-pair.js';

export interface TestFile {
  path: string;
  size: number;
  sha256: string;
}

/**
 * Random content starts with this, so that file-type never takes it for a
 * format whose signature the random bytes happen to begin with.
 */
const PREFIX = Buffer.from('LOCKSTEP TEST FILE\n');
const CHUNK = 1024 * 1024;

/** A file of `size` bytes, written in 1 MiB chunks and hashed on the way: never held whole in memory. */
export async function writeRandomFile(directory: string, name: string, size: number): Promise<TestFile> {
  const path = join(directory, name);
  const hash = createHash('sha256');
  async function* chunks() {
    for (let written = 0; written < size; ) {
      const chunk = randomBytes(Math.min(CHUNK, size - written));
      if (written === 0) PREFIX.copy(chunk);
      hash.update(chunk);
      written += chunk.length;
      yield chunk;
    }
  }
  await pipeline(Readable.from(chunks()), createWriteStream(path));
  return { path, size, sha256: hash.digest('hex') };
}

export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Uploads a file from disk through the Attachment API, streamed, and returns the answer's metadata. */
export async function uploadFile(
  side: PairInstance,
  auth: string,
  record: { table: string; sysId: string },
  path: string,
  fileName: string,
  contentType = 'application/octet-stream',
): Promise<{ sys_id: string; hash: string; size_bytes: number; file_name: string }> {
  const query = new URLSearchParams({ table_name: record.table, table_sys_id: record.sysId, file_name: fileName });
  const response = await fetch(`${side.url}/api/now/attachment/file?${query.toString()}`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': contentType },
    body: Readable.toWeb(createReadStream(path)) as ReadableStream,
    duplex: 'half',
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`${side.name}: uploading ${fileName} answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { result: { sys_id: string; hash: string; size_bytes: number; file_name: string } }).result;
}

export interface ListedAttachment {
  sys_id: string;
  file_name: string;
  hash: string;
  size_bytes: number;
  content_type: string;
}

export async function attachmentsOf(side: PairInstance, table: string, sysId: string): Promise<ListedAttachment[]> {
  const query = encodeURIComponent(`table_name=${table}^table_sys_id=${sysId}`);
  const { body } = await side.api.call('GET', `/api/now/attachment?sysparm_query=${query}`);
  return body.result as ListedAttachment[];
}

/** Downloads an attachment's content, hashing it as it streams: its sha256 and size. */
export async function downloadedSha256(side: PairInstance, auth: string, sysId: string): Promise<{ sha256: string; size: number }> {
  const response = await fetch(`${side.url}/api/now/attachment/${sysId}/file`, { headers: { authorization: auth } });
  if (response.status !== 200 || !response.body) throw new Error(`${side.name}: downloading ${sysId} answered ${response.status}: ${await response.text()}`);
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    Readable.fromWeb(response.body as WebReadableStream),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done();
      },
    }),
  );
  return { sha256: hash.digest('hex'), size };
}

/** How many times the instance logged that it received content with this hash from its peer. */
export function contentReceptions(side: PairInstance, sha256: string): number {
  return side.process.output.filter((line) => line.includes('"attachment content received"') && line.includes(`"sha256":"${sha256}"`)).length;
}
