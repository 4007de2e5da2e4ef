import { useRef } from 'react';
import { ApiProblem } from '../api/client';
import { attachmentApi, type Attachment } from '../api/attachments';
import { ProblemNotice } from '../console/problem-notice';
import { useAction } from '../console/use-action';
import { useApi } from '../console/use-api';

/** A 404 from the list route itself, not from a record: the runtime has no attachment API. */
const unavailable = (error: unknown) => error instanceof ApiProblem && error.status === 404 && error.problem.type.endsWith(':no-such-route');

/** The record's attachments: list, download and upload, through the original's attachment API. */
export function Attachments({ table, sysId }: { table: string; sysId: string }) {
  const loaded = useApi(() => attachmentApi.list(table, sysId), `${table}/${sysId}`);
  const { busy, error, run } = useAction();
  const picker = useRef<HTMLInputElement>(null);

  if (unavailable(loaded.error)) {
    return (
      <div className="card attachments">
        <h2>Attachments</h2>
        <p className="muted">Attachments are not available on this instance: its runtime has no attachment API yet.</p>
      </div>
    );
  }

  const download = (attachment: Attachment) =>
    run(`Downloading ${attachment.file_name}`, async () => {
      const url = URL.createObjectURL(await attachmentApi.download(attachment));
      const link = Object.assign(document.createElement('a'), { href: url, download: attachment.file_name });
      link.click();
      URL.revokeObjectURL(url);
    });

  const upload = (file: File) =>
    run(`Uploading ${file.name}`, async () => {
      await attachmentApi.upload(table, sysId, file);
      loaded.reload();
    });

  return (
    <div className="card attachments">
      <h2>Attachments</h2>
      <ProblemNotice error={loaded.error} context="The attachments could not be listed" />
      <ProblemNotice error={error} />
      {busy !== null && (
        <p className="muted" role="status">
          {busy}…
        </p>
      )}
      <ul aria-label="Attachments">
        {(loaded.value?.rows ?? []).map((attachment) => (
          <li key={attachment.sys_id}>
            <button type="button" className="link" onClick={() => void download(attachment)}>
              {attachment.file_name}
            </button>{' '}
            <span className="muted small">
              {typeof attachment.size_bytes === 'number' && `${attachment.size_bytes} bytes`} {attachment.sys_created_by && `· ${attachment.sys_created_by}`}
            </span>
          </li>
        ))}
        {loaded.value?.rows.length === 0 && <li className="muted">No attachments.</li>}
      </ul>
      <input ref={picker} type="file" aria-label="Attach a file" hidden onChange={(event) => event.target.files?.[0] && void upload(event.target.files[0])} />
      <button type="button" disabled={busy !== null} onClick={() => picker.current?.click()}>
        Attach a file
      </button>
    </div>
  );
}
