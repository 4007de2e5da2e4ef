import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentsOf, basicAuth, contentReceptions, downloadedSha256, uploadFile, writeRandomFile, type TestFile } from './support/attachment-files.js';
import { attachmentsNamed, linkedRecords, type RecordRef } from './support/attachment-pair.js';
import { pairStores, usePair } from './support/pair-suite.js';
import { eventually } from '../runtime/test/support/until.js';
import { until, type PairInstance } from './support/sync-pair.js';

const KB = 1024;
const MB = 1024 * KB;
/**
 * One file within a single 255 KiB chunk of content, one of two chunks, and
 * one of several batches of four chunks (GridFS reads four at a time): every
 * way the content is cut. How fast large files go, and that memory does not
 * grow with them, is `npm run bench -- attachments` (200 MB).
 */
const SIZES = [KB, 300 * KB, 3 * MB];

/**
 * Makes a comment on `from` and waits for it on `to`: any change `from`'s
 * record made before it, an echo included, reached `to` first, as one
 * record's changes go in order.
 */
async function marker(from: RecordRef, to: RecordRef, text: string): Promise<void> {
  await from.side.api.call('PATCH', `/api/now/table/${from.table}/${from.sysId}`, { comments: text });
  await until(async () => {
    const { body } = await to.side.api.call('GET', `/api/now/table/${to.table}/${to.sysId}`);
    return (body.result.comments as { value: string }[]).some((entry) => entry.value.startsWith(text)) ? true : undefined;
  }, `the ${to.table} has the comment "${text}"`);
}

/** How many times each side took in the file's bytes, once those expected have shown in its log (which may lag its API a moment). */
const receptions = (sha256: string, sides: [PairInstance, PairInstance], expected: [number, number]) =>
  eventually(async () => sides.map((side) => contentReceptions(side, sha256)), (counts) => counts.every((count, index) => count >= expected[index]!), `the content ${sha256.slice(0, 8)} received ${expected.join(' and ')} times`);

for (const { name, store, skipped } of pairStores()) {
  describe.skipIf(store === null)(`attachments kept in step by two runtime processes (${name} store)${skipped}`, () => {
    const pairOf = usePair('attachments', store!, ['--attachment-extensions', 'bin,txt']);
    let directory = '';
    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'lockstep-attachment-files-'));
    });
    afterAll(() => rm(directory, { recursive: true, force: true }));

    /** Uploads files of each size to `from`, waits for them on `to`, and checks each one's hash there, downloading it. */
    async function sendAcross(auth: string, from: RecordRef, to: RecordRef, prefix: string): Promise<TestFile[]> {
      const files: TestFile[] = [];
      for (const [index, size] of SIZES.entries()) {
        const file = await writeRandomFile(directory, `${prefix}-${index + 1}.bin`, size);
        await uploadFile(from.side, auth, { table: from.table, sysId: from.sysId }, file.path, basename(file.path));
        files.push(file);
      }
      const arrived = await attachmentsNamed(to, files.map((file) => basename(file.path)));
      for (const file of files) {
        const attachment = arrived.find((candidate) => candidate.file_name === basename(file.path));
        expect(attachment, basename(file.path)).toMatchObject({ hash: file.sha256, size_bytes: file.size, content_type: 'application/octet-stream' });
        expect(await downloadedSha256(to.side, auth, attachment!.sys_id)).toEqual({ sha256: file.sha256, size: file.size });
        await rm(file.path);
      }
      return files;
    }

    it('brings files of 1 KB, 300 KB and 3 MB from an incident to its case, and others from the case to the incident, each with the same hash', async () => {
      const pair = pairOf();
      const auth = basicAuth('agent', pair.agentPassword);
      const { incident, kase } = await linkedRecords(pair, `Attachments both ways ${name}`);

      const toCase = await sendAcross(auth, incident, kase, 'from-incident');
      const toIncident = await sendAcross(auth, kase, incident, 'from-case');
      // An echo of either side's files would come before a later change of the same record.
      await marker(incident, kase, 'Marker after the files');
      await marker(kase, incident, 'Marker after the files, back');

      // Each file's bytes crossed once, and none went back to where it was made.
      for (const file of toCase) expect(await receptions(file.sha256, [pair.b, pair.a], [1, 0])).toEqual([1, 0]);
      for (const file of toIncident) expect(await receptions(file.sha256, [pair.a, pair.b], [1, 0])).toEqual([1, 0]);
      expect(await attachmentsOf(pair.a, 'incident', incident.sysId)).toHaveLength(6);
      expect(await attachmentsOf(pair.b, 'case', kase.sysId)).toHaveLength(6);
    });

    it('sends every attachment the first time a record syncs, and the receiver creates its record with them', async () => {
      const pair = pairOf();
      const { a } = pair;
      const auth = basicAuth('agent', pair.agentPassword);
      const remote = `/api/lockstep/v1/sync/remote-systems/${a.config.remoteSystemId}`;
      // With A's outbound turned off, the incident and its files are made without syncing anything.
      await a.api.call('PATCH', remote, { outbound_state: 'disabled' });
      const label = `Attachments first sync ${name}`;
      const { body } = await a.api.call('POST', '/api/now/table/incident', { short_description: label });
      const incident = { table: 'incident', sysId: body.result.sys_id as string };
      const files = [await writeRandomFile(directory, 'first-a.bin', 3 * KB), await writeRandomFile(directory, 'first-b.bin', 5 * KB)];
      for (const file of files) await uploadFile(a, auth, incident, file.path, basename(file.path));
      await a.api.call('POST', `${remote}/activate`, undefined, { expected: 200 });

      // The first change sent after that is the record's first sync: the case is created, with both files.
      await a.api.call('PATCH', `/api/now/table/incident/${incident.sysId}`, { comments: 'Files attached before the sync' });
      const kase = await until(async () => {
        const found = await pair.b.api.call('GET', `/api/now/table/case?sysparm_query=${encodeURIComponent(`short_description=${label}`)}`);
        return (found.body.result as { sys_id: string }[])[0];
      }, 'the provider has the case');
      const arrived = await attachmentsNamed({ side: pair.b, table: 'case', sysId: kase.sys_id }, files.map((file) => basename(file.path)));
      expect(arrived.map((attachment) => [attachment.file_name, attachment.hash]).sort()).toEqual(files.map((file) => [basename(file.path), file.sha256]).sort());
    });

    it('sends a file once: later changes of either record offer it no more, a renamed copy arrives under its new name without its bytes, and a delete stays local', async () => {
      const pair = pairOf();
      const { a, b } = pair;
      const auth = basicAuth('agent', pair.agentPassword);
      const { incident, kase } = await linkedRecords(pair, `Attachments once ${name}`);
      const file = await writeRandomFile(directory, 'report.bin', 64 * KB);
      const original = await uploadFile(a, auth, incident, file.path, 'report.bin');
      await attachmentsNamed(kase, ['report.bin']);

      // A change on each side after it: the incident's carries no attachment, and the case's sends nothing back.
      await a.api.call('PATCH', `/api/now/table/incident/${incident.sysId}`, { comments: 'After the report' });
      await b.api.call('PATCH', `/api/now/table/case/${kase.sysId}`, { comments: 'Read the report' });
      await until(async () => {
        const { body } = await a.api.call('GET', `/api/now/table/incident/${incident.sysId}`);
        return (body.result.comments as { value: string }[]).some((note) => note.value.startsWith('Read the report')) ? true : undefined;
      }, 'the incident has the comment made on the case');
      const received = (await b.api.call('GET', '/api/lockstep/v1/sync/inbound-queue?limit=1000')).body.result as { status: string; payload_json: string }[];
      const comment = received.map((item) => JSON.parse(item.payload_json)).find((envelope) => envelope.payload.journal.comments?.[0]?.value === 'After the report');
      expect(comment?.payload.attachments).toEqual([]);

      // The same bytes under a new name: the receiver compares hash and file name, so it asks for the file, and already holds its content.
      await uploadFile(a, auth, incident, file.path, 'report-final.bin');
      const onCase = await attachmentsNamed(kase, ['report-final.bin']);
      expect(onCase.map((attachment) => attachment.file_name).sort()).toEqual(['report-final.bin', 'report.bin']);
      const renamed = onCase.find((attachment) => attachment.file_name === 'report-final.bin')!;
      expect(await downloadedSha256(b, auth, renamed.sys_id)).toEqual({ sha256: file.sha256, size: file.size });

      // Deleted on the incident, the file stays on the case: the receiving side decides.
      expect((await fetch(`${a.url}/api/now/attachment/${original.sys_id}`, { method: 'DELETE', headers: { authorization: auth } })).status).toBe(204);
      // The comment after the delete is the marker: had the delete been sent, the case would have had it first.
      await marker(incident, kase, 'Report withdrawn');
      expect((await attachmentsOf(b, 'case', kase.sysId)).map((attachment) => attachment.file_name).sort()).toEqual(['report-final.bin', 'report.bin']);
      expect((await attachmentsOf(a, 'incident', incident.sysId)).map((attachment) => attachment.file_name)).toEqual(['report-final.bin']);
      expect(await receptions(file.sha256, [b, a], [1, 0])).toEqual([1, 0]);
    });
  });
}
