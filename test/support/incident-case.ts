import { expect } from 'vitest';
import { localCorrelationId } from '../../runtime/src/sync/correlation/correlation-store.js';
import type { SyncPair } from './sync-pair.js';

/** The demo's state map, written out here as the issue states it rather than read from the code under test. */
const CASE_STATE_OF_INCIDENT: Record<string, string> = { '1': '1', '2': '10', '3': '18', '6': '6', '7': '3', '8': '7' };

interface JournalEntry {
  value: string;
  created_by: string;
  created_on: string;
}

/** What A's incident and B's case share. */
export interface SyncedRecord {
  sys_id: string;
  short_description: string;
  description: string | null;
  priority: string;
  state: string;
  sys_mod_count: number;
  comments: JournalEntry[];
  work_notes: JournalEntry[];
}

const FIELDS = 'sys_id,short_description,description,priority,state,sys_mod_count,comments,work_notes';

/** Every record of a table whose short description starts with `label`. */
export async function recordsLabelled(side: SyncPair['a'], table: 'incident' | 'case', label: string): Promise<SyncedRecord[]> {
  const query = encodeURIComponent(`short_descriptionSTARTSWITH${label}`);
  const { body } = await side.api.call('GET', `/api/now/table/${table}?sysparm_query=${query}&sysparm_fields=${FIELDS}&sysparm_limit=10000`);
  return body.result as SyncedRecord[];
}

/** A journal entry as B's inbound flow writes it: the text, then who wrote it on A and when. */
const asReceived = (entry: JournalEntry) => `${entry.value}\n(${entry.created_by}, ${entry.created_on})`;

/**
 * Checks that B holds exactly one case for each of A's incidents labelled
 * `label`, found through B's correlations, with the same short description,
 * description and priority, the mapped state, and the same comments and work
 * notes in the same order (none lost, none twice). Returns A's incidents.
 */
export async function expectCasesMirrorIncidents(pair: SyncPair, label: string): Promise<SyncedRecord[]> {
  const { a, b } = pair;
  const [incidents, cases, correlations] = await Promise.all([
    recordsLabelled(a, 'incident', label),
    recordsLabelled(b, 'case', label),
    b.api.call('GET', `/api/lockstep/v1/sync/correlations?local_table=case&remote_system=${b.config.remoteSystemId}&limit=1000`),
  ]);
  expect(cases, 'one case per incident').toHaveLength(incidents.length);
  const caseOfSender = new Map((correlations.body.result as { remote_correlation_id: string; local_record: string }[]).map((link) => [link.remote_correlation_id, link.local_record]));
  const casesById = new Map(cases.map((kase) => [kase.sys_id, kase]));
  const differences: string[] = [];
  for (const incident of incidents) {
    const kase = casesById.get(caseOfSender.get(localCorrelationId('incident', incident.sys_id, a.config.remoteSystemId)) ?? '');
    if (!kase) {
      differences.push(`${incident.short_description}: no correlated case on B`);
      continue;
    }
    const expected = {
      short_description: incident.short_description,
      description: incident.description,
      priority: incident.priority,
      state: CASE_STATE_OF_INCIDENT[incident.state],
      comments: incident.comments.map(asReceived),
      work_notes: incident.work_notes.map(asReceived),
    };
    const actual = {
      short_description: kase.short_description,
      description: kase.description,
      priority: kase.priority,
      state: kase.state,
      comments: kase.comments.map((entry) => entry.value),
      work_notes: kase.work_notes.map((entry) => entry.value),
    };
    for (const [field, value] of Object.entries(expected)) {
      const got = actual[field as keyof typeof actual];
      if (JSON.stringify(got) !== JSON.stringify(value)) differences.push(`${incident.short_description} ${field}: incident ${JSON.stringify(value)}, case ${JSON.stringify(got)}`);
    }
  }
  expect(differences, "B's cases against A's incidents").toEqual([]);
  return incidents;
}
