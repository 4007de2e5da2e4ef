import type { FieldDefinition } from '@lockstep/schema';
import { useState, type FormEvent } from 'react';
import { dictionaryApi, type TableView } from '../api/dictionary';
import { recordApi, type TableRecord } from '../api/records';
import { ProblemNotice } from '../console/problem-notice';
import { useAction } from '../console/use-action';
import { useApi } from '../console/use-api';
import { RecordRemoteTasks } from '../remote-tasks/record-remote-tasks';
import { hrefOf, navigate } from '../route';
import { Attachments } from './attachments';
import { FieldInput } from './field-input';
import { Journal } from './journal';
import { originOf, recordLinks } from './record-links';
import { SyncPanel } from './sync-panel';

/**
 * The journal has its own box; system fields show in the header; and
 * `remote_tasks` (the open remote tasks' keys, which capture filters test)
 * shows as the Remote tasks list, by definition, provider and state.
 */
const onForm = (field: FieldDefinition) => field.type !== 'journal' && !field.name.startsWith('sys_') && field.name !== 'remote_tasks';

/** Often enough to see a peer's comment arrive; edits in progress are kept aside and never overwritten. */
const POLL_MS = 3000;
/** A record's links change seldom: the other side's first answer, a correlation made inactive. */
const LINKS_POLL_MS = 10_000;

/**
 * One record's form, from the table dictionary: its fields (references by
 * what they name), its journal history with boxes to add comments and work
 * notes, its attachments, and what it is synced with: its correlations and
 * remote tasks. `sysId` null makes a new record.
 */
export function RecordPage({ table, sysId }: { table: string; sysId: string | null }) {
  // Only the record polls: its values and journal change while it is open, its table's fields do not.
  const viewLoaded = useApi(() => dictionaryApi.table(table), table);
  const loaded = useApi(async () => (sysId === null ? null : recordApi.get(table, sysId)), `${table}/${sysId}`, sysId === null ? undefined : POLL_MS);
  const links = useApi(async () => (sysId === null ? null : { links: await recordLinks(table, sysId) }), `${table}/${sysId}`, sysId === null ? undefined : LINKS_POLL_MS).value?.links ?? null;
  const [changes, setChanges] = useState<TableRecord>({});
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState<string | null>(null);

  const view = viewLoaded.value;
  const record = loaded.value;
  if (view === null || (sysId !== null && record === null)) {
    const failure = viewLoaded.error ?? loaded.error;
    return <section className="console-page">{failure === null ? <p className="muted">Loading…</p> : <ProblemNotice error={failure} />}</section>;
  }
  const current: TableRecord = { ...(record ?? {}), ...changes };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run('save', async () => {
      if (sysId === null) {
        const created = await recordApi.create(table, changes);
        navigate({ page: 'record', table, sysId: String(created.sys_id) });
        return;
      }
      await recordApi.update(table, sysId, changes);
      setChanges({});
      setSaved(`Saved at ${new Date().toLocaleTimeString()}`);
      loaded.reload();
    });
  };

  const post = async (field: string, text: string) => {
    await recordApi.update(table, sysId!, { [field]: text });
    loaded.reload();
  };

  const title = sysId === null ? `New ${view.label.toLowerCase()}` : `${view.label} ${String(record?.number ?? sysId)}`;
  const readOnly = !view.access.write;
  return (
    <section className="console-page record-page">
      <p className="crumbs">
        <a href={hrefOf({ page: 'records', table, query: {} })}>{view.label} list</a> ›
      </p>
      <form className="card record-form" onSubmit={(event) => void submit(event)} aria-label={title}>
        <div className="list-head">
          <h1>{title}</h1>
          <button type="submit" className="primary" disabled={busy !== null || readOnly || Object.keys(changes).length === 0}>
            {busy !== null ? 'Saving…' : sysId === null ? 'Submit' : 'Update'}
          </button>
        </div>
        {readOnly && <p className="muted">You may read {view.label.toLowerCase()} records but not change them.</p>}
        {record !== null && (
          <p className="muted small" data-sys-id={sysId}>
            sys_id {sysId} · updated {String(record.sys_updated_on)} by {String(record.sys_updated_by)} · domain {String(record.sys_domain)}
          </p>
        )}
        {saved !== null && Object.keys(changes).length === 0 && <p className="notice" role="status">{saved}</p>}
        <ProblemNotice error={error} context={sysId === null ? 'Not created' : 'Not saved'} />
        <div className="form-grid">
          {view.fields.filter(onForm).map((field) => (
            <div key={field.name} className={`field field-${field.type}`}>
              <label htmlFor={`field-${field.name}`} className="field-label">
                {field.label}
              </label>
              <FieldInput field={field} value={current[field.name]} disabled={readOnly} onChange={(value) => setChanges((old) => ({ ...old, [field.name]: value }))} />
            </div>
          ))}
        </div>
      </form>
      {record !== null && sysId !== null && (
        <>
          <div className="columns">
            <Journal record={record} journals={journalsOf(view)} origin={originOf(links)} onPost={post} disabled={readOnly} />
            <Attachments table={table} sysId={sysId} />
          </div>
          <div className="columns">
            {links !== null && <SyncPanel links={links} />}
            <RecordRemoteTasks table={table} sysId={sysId} />
          </div>
        </>
      )}
    </section>
  );
}

const journalsOf = (view: TableView) => view.fields.filter((field) => field.type === 'journal');
