import type { PairInstance } from '../support/sync-pair.js';
import { findLabelled, type WrittenRecord } from './workload.js';

/** What the Table API shows of the run, as Jepsen would sum it up. */
export interface ChaosCounts {
  /** Records whose every comment reached the partner once, in order, with nothing echoed. */
  ok: number;
  /** Records missing on the partner, and comments written at the origin missing on the partner. */
  lost: number;
  /** Records the partner holds more than once, and comments it holds more than once. */
  duplicated: number;
  /** Records whose comments the partner holds in another order than they were written. */
  reordered: number;
  /** A record or a comment that came back to where it was written. */
  echoed: number;
}

/** A received comment as the inbound flow writes it: the text, then who wrote it and when, on a line of their own. */
const sentText = (value: string) => value.replace(/\n\([^()]*\)$/, '');

/**
 * Checks one record from the Table API of both instances alone: its partner
 * record (found by its label) holds each comment written at the origin
 * once, in the order written, and the origin holds no copy of its own
 * record or comments sent back.
 */
async function checkRecord(record: WrittenRecord, admin: string): Promise<ChaosCounts> {
  const counts: ChaosCounts = { ok: 0, lost: 0, duplicated: 0, reordered: 0, echoed: 0 };
  const [atOrigin, atPartner] = await Promise.all([findLabelled(record.origin, admin, record.label), findLabelled(record.partner, admin, record.label)]);
  counts.echoed += Math.max(0, atOrigin.length - 1);
  const origin = atOrigin[0];
  const echoes = (origin?.comments ?? []).filter((entry) => record.comments.some((text) => entry.value !== text && entry.value.startsWith(`${text}\n(`)));
  counts.echoed += echoes.length;
  if (atPartner.length === 0) {
    counts.lost += 1 + record.comments.length;
    return counts;
  }
  counts.duplicated += atPartner.length - 1;
  // Journals read newest first.
  const received = [...atPartner[0]!.comments].reverse().map((entry) => sentText(entry.value));
  const mine = received.filter((text) => record.comments.includes(text));
  const lost = record.comments.filter((text) => !mine.includes(text)).length;
  const duplicated = mine.length - new Set(mine).size;
  const firsts = [...new Set(mine)];
  const inOrder = firsts.every((text, index) => index === 0 || record.comments.indexOf(text) > record.comments.indexOf(firsts[index - 1]!));
  counts.lost += lost;
  counts.duplicated += duplicated;
  if (!inOrder) counts.reordered += 1;
  if (lost === 0 && duplicated === 0 && inOrder && echoes.length === 0 && atPartner.length === 1 && atOrigin.length === 1) counts.ok = 1;
  return counts;
}

/** Sums the check of every record written. */
export async function checkRecords(records: readonly WrittenRecord[], admin: string): Promise<ChaosCounts> {
  const total: ChaosCounts = { ok: 0, lost: 0, duplicated: 0, reordered: 0, echoed: 0 };
  for (const record of records) {
    const counts = await checkRecord(record, admin);
    for (const key of Object.keys(total) as (keyof ChaosCounts)[]) total[key] += counts[key];
  }
  return total;
}

/** Whether both directions of each instance's remote system are Active, as its API says. */
export async function linksActive(instances: readonly PairInstance[], admin: string): Promise<boolean> {
  const states = await Promise.all(
    instances.map(async (side) => {
      const response = await fetch(`${side.url}/api/lockstep/v1/sync/remote-systems/${side.config.remoteSystemId}`, { headers: { authorization: admin } });
      const { result } = (await response.json()) as { result: { inbound_state: string; outbound_state: string } };
      return result.inbound_state === 'active' && result.outbound_state === 'active';
    }),
  );
  return states.every(Boolean);
}

/** One instance's link through the run: its entries into Error, by three witnesses that must agree. */
export interface LinkErrorReport {
  instance: string;
  /** Entries into Error since the run began, by the remote system's link history. */
  entries: number;
  /** Runs of the error subflow (the pair is new, so every run is this run's). */
  errorSubflowRuns: number;
  /** Entries into Error as `/metrics` counts them, and the seconds spent there. */
  metricEntries: number;
  metricSeconds: number;
}

/** The link errors of each instance, from its link history, its error subflow's runs and its `/metrics`. */
export async function linkErrors(instances: readonly PairInstance[], admin: string, since: number): Promise<LinkErrorReport[]> {
  return Promise.all(
    instances.map(async (side) => {
      const headers = { authorization: admin };
      const historyAnswer = await fetch(`${side.url}/api/lockstep/v1/sync/remote-systems/${side.config.remoteSystemId}/link-history?sysparm_limit=1000`, { headers });
      const { result } = (await historyAnswer.json()) as { result: { to: string; at: string }[] };
      const entries = result.filter((transition) => transition.to === 'error' && Date.parse(transition.at) >= since).length;
      const runs = await fetch(`${side.url}/api/lockstep/v1/contexts?subflow=${side.config.errorSubflowId}&limit=1`, { headers });
      const metrics = await (await fetch(`${side.url}/metrics`)).text();
      const summed = (name: string) =>
        [...metrics.matchAll(new RegExp(`^${name}\\{remote_system="${side.config.remoteSystemId}",[^}]*\\} (\\S+)$`, 'gm'))].reduce((sum, match) => sum + Number(match[1]), 0);
      return {
        instance: side.name,
        entries,
        errorSubflowRuns: Number(runs.headers.get('x-total-count')),
        metricEntries: summed('lockstep_link_errors_total'),
        metricSeconds: summed('lockstep_link_error_seconds_total'),
      };
    }),
  );
}

/** Whether every witness agrees: the error subflow ran once per entry into Error, and `/metrics` shows each. */
export const linkErrorsAgree = (reports: readonly LinkErrorReport[]): boolean =>
  reports.every((report) => report.errorSubflowRuns === report.entries && report.metricEntries === report.entries);
