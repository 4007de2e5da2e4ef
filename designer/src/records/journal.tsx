import { journalEntrySchema, type FieldDefinition, type JournalEntry } from '@lockstep/schema';
import { useState } from 'react';
import { z } from 'zod';
import type { TableRecord } from '../api/records';
import { ProblemNotice } from '../console/problem-notice';
import { useAction } from '../console/use-action';
import { remoteEntries } from './journal-origin';

const entries = z.array(journalEntrySchema).catch([]);

/** Every journal field's entries in one history, newest first, as the original's activity stream shows them. */
function history(record: TableRecord, journals: readonly FieldDefinition[]): (JournalEntry & { field: FieldDefinition })[] {
  return journals
    .flatMap((field) => entries.parse(record[field.name]).map((entry) => ({ ...entry, field })))
    .toSorted((a, b) => b.created_on.localeCompare(a.created_on));
}

/**
 * The record's comments and work notes: a box to add to each, and the
 * history of all of them. An entry that came from the other side of a sync
 * says so (`origin` names it), with who wrote it there and when.
 */
export function Journal({
  record,
  journals,
  origin,
  onPost,
  disabled,
}: {
  record: TableRecord;
  journals: readonly FieldDefinition[];
  origin: string;
  onPost: (field: string, text: string) => Promise<void>;
  disabled: boolean;
}) {
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();

  const post = async (field: FieldDefinition) => {
    const text = drafts[field.name]?.trim() ?? '';
    if (text !== '' && (await run(field.name, () => onPost(field.name, text)))) setDrafts((current) => ({ ...current, [field.name]: '' }));
  };

  return (
    <div className="card journal">
      <h2>Activity</h2>
      {journals.map((field) => (
        <div key={field.name} className="journal-entry-box">
          <label htmlFor={`journal-${field.name}`} className="field-label">
            {field.label}
          </label>
          <textarea id={`journal-${field.name}`} rows={2} value={drafts[field.name] ?? ''} disabled={disabled} onChange={(event) => setDrafts((current) => ({ ...current, [field.name]: event.target.value }))} />
          <button type="button" disabled={disabled || busy !== null || (drafts[field.name]?.trim() ?? '') === ''} onClick={() => void post(field)}>
            {busy === field.name ? 'Posting…' : `Post ${field.label.toLowerCase()}`}
          </button>
        </div>
      ))}
      <ProblemNotice error={error} context="Not posted" />
      <ol className="journal-history" aria-label="Journal history">
        {history(record, journals).map((entry, index) => {
          const remote = remoteEntries(entry.value);
          if (remote === null) {
            return (
              <li key={index} className={`journal-${entry.field.name}`}>
                <div className="muted small">
                  {entry.created_on} · {entry.created_by} · {entry.field.label}
                </div>
                <div className="journal-text">{entry.value}</div>
              </li>
            );
          }
          return (
            <li key={index} className={`journal-${entry.field.name} journal-remote`} data-origin={origin}>
              <div className="muted small">
                {entry.created_on} · <span className="badge origin">from {origin}</span> · {entry.field.label}
              </div>
              {remote.map((part, at) => (
                <div key={at}>
                  <div className="journal-text">{part.text}</div>
                  <div className="muted small">
                    written by {part.by} at {part.at} on {origin}
                  </div>
                </div>
              ))}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
