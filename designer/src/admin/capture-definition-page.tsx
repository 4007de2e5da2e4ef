import { captureOperations, type CaptureOperation, type ConditionGroup } from '@lockstep/schema';
import { useState } from 'react';
import { dictionaryApi } from '../api/dictionary';
import { syncConfigApi, type CaptureDefinitionView } from '../api/sync-config';
import { ProblemNotice } from '../console/problem-notice';
import { useAction } from '../console/use-action';
import { useApi } from '../console/use-api';
import { ConditionBuilder } from '../inspector/condition-builder';
import { hrefOf, navigate } from '../route';
import { DefinitionDomain } from './definition-domain';
import { FieldPicker } from './field-picker';

type Draft = Pick<CaptureDefinitionView, 'process_event' | 'state' | 'order' | 'source_table' | 'operations' | 'filter' | 'include_fields' | 'include_attachments'>;

const blank: Draft = { process_event: '', state: 'inactive', order: 100, source_table: 'incident', operations: ['insert', 'update'], filter: { match: 'all', conditions: [] }, include_fields: [], include_attachments: false };

/** Only the fields the form edits: the record's sys_id, definition and audit fields may not be sent back. */
const draftOf = ({ process_event, state, order, source_table, operations, filter, include_fields, include_attachments }: Draft): Draft => ({ process_event, state, order, source_table, operations, filter, include_fields, include_attachments });

/** A new capture definition's domain is its definition's, which the runtime gives it. */
async function domainOf(capture: CaptureDefinitionView | null, definition: string): Promise<string> {
  return capture?.sys_domain ?? (await syncConfigApi.definitions.get(definition)).sys_domain;
}

async function load(captureId: string | null, definitionId: string | null) {
  const capture = captureId === null ? null : await syncConfigApi.captureDefinitions.get(captureId);
  const definition = capture?.process_sync_definition ?? definitionId ?? '';
  const [events, tables, domain] = await Promise.all([syncConfigApi.processEvents.list({ process_sync_definition: definition }), dictionaryApi.tables(), domainOf(capture, definition)]);
  return { capture, definition, events: events.rows, tables, domain };
}

/**
 * A capture definition's form: when it fires (process event, state, order,
 * table, operations, and a filter made in the same condition builder as the
 * editor's If), and what it captures (fields picked from the table dictionary).
 */
export function CaptureDefinitionPage({ captureId, definitionId }: { captureId: string | null; definitionId: string | null }) {
  const loaded = useApi(() => load(captureId, definitionId), `${captureId}/${definitionId}`);
  const [draft, setDraft] = useState<Draft | null>(null);
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  if (loaded.value === null) return <section className="console-page">{loaded.error === null ? <p className="muted">Loading…</p> : <ProblemNotice error={loaded.error} />}</section>;

  const { capture, definition, events, tables, domain } = loaded.value;
  const current: Draft = draft ?? (capture ? draftOf(capture) : { ...blank, process_event: events[0]?.sys_id ?? '' });
  const change = (fields: Partial<Draft>) => setDraft({ ...current, ...fields });
  const table = tables.find((candidate) => candidate.name === current.source_table);
  const pills = (table?.fields ?? []).map((field) => ({ expression: field.name, source: `Fields of ${table?.label ?? current.source_table}` }));
  const toggle = (operation: CaptureOperation) => change({ operations: current.operations.includes(operation) ? current.operations.filter((other) => other !== operation) : [...current.operations, operation] });

  const save = () =>
    run('save', async () => {
      if (capture === null) {
        const created = await syncConfigApi.captureDefinitions.create({ ...current, process_sync_definition: definition });
        navigate({ page: 'capture-definition', captureId: created.sys_id });
        return;
      }
      await syncConfigApi.captureDefinitions.patch(capture.sys_id, current);
      setDraft(null);
      setSaved(`Saved at ${new Date().toLocaleTimeString()}`);
      loaded.reload();
    });

  return (
    <section className="console-page">
      <p className="crumbs">
        <a href={hrefOf({ page: 'definition', definitionId: definition })}>Process sync definition</a> ›
      </p>
      <div className="card capture-form">
        <div className="list-head">
          <h1>{capture === null ? 'New capture definition' : `Capture definition on ${capture.source_table}`}</h1>
          <button type="button" className="primary" disabled={busy !== null || (capture !== null && draft === null)} onClick={() => void save()}>
            {capture === null ? (busy === null ? 'Create' : 'Creating…') : busy === null ? 'Save' : 'Saving…'}
          </button>
        </div>
        {saved !== null && draft === null && <p className="notice" role="status">{saved}</p>}
        <ProblemNotice error={error} context="Not saved" />
        <DefinitionDomain domain={domain} />
        <div className="form-grid">
          <label className="field">
            <span className="field-label">Process event</span>
            <select value={current.process_event} onChange={(event) => change({ process_event: event.target.value })}>
              <option value="">-- choose --</option>
              {events.map((event) => (
                <option key={event.sys_id} value={event.sys_id}>
                  {event.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">State</span>
            <select value={current.state} onChange={(event) => change({ state: event.target.value as Draft['state'] })}>
              <option value="active">Active</option>
              <option value="inactive">Inactive</option>
            </select>
          </label>
          <label className="field">
            <span className="field-label">Order</span>
            <input type="number" value={current.order} onChange={(event) => change({ order: Number(event.target.value) })} />
          </label>
        </div>
        <h3>Trigger</h3>
        <div className="form-grid">
          <label className="field">
            <span className="field-label">Source table name</span>
            <select value={current.source_table} onChange={(event) => change({ source_table: event.target.value, include_fields: [], filter: { match: 'all', conditions: [] } })}>
              {tables.map((candidate) => (
                <option key={candidate.name} value={candidate.name}>
                  {candidate.label} ({candidate.name})
                </option>
              ))}
            </select>
          </label>
          <fieldset className="field">
            <legend className="field-label">Operations</legend>
            {captureOperations.map((operation) => (
              <label key={operation} className="check">
                <input type="checkbox" checked={current.operations.includes(operation)} onChange={() => toggle(operation)} /> {operation}
              </label>
            ))}
          </fieldset>
        </div>
        <span className="field-label">Filter</span>
        <ConditionBuilder value={current.filter} onChange={(filter: ConditionGroup) => change({ filter })} pills={pills} disabled={false} />
        <h3>Capture</h3>
        <FieldPicker fields={table?.fields ?? []} selected={current.include_fields} onChange={(include_fields) => change({ include_fields })} disabled={false} />
        <label className="check">
          <input type="checkbox" checked={current.include_attachments} onChange={(event) => change({ include_attachments: event.target.checked })} /> Include attachments
        </label>
      </div>
    </section>
  );
}
