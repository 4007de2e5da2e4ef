import { syncWhenValues, type RemoteTaskDirection, type SyncWhen } from '@lockstep/schema';
import type { ActivatedField, RemoteTaskField, RemoteTaskFieldRule } from '../api/remote-tasks';

/**
 * A consumer's field rules, as the activation form edits them: each field a
 * revision offers mapped onto a local field (or left out), its direction
 * narrowed from both ways to one, and synced as often as offered or less.
 * Directions are the provider's: inbound is consumer to provider.
 */
export interface RuleRow {
  name: string;
  local_field: string | null;
  direction: RemoteTaskDirection;
  sync_when: SyncWhen;
  /** Local values to the definition's, as typed: `1=1, 2=10`. */
  value_map: string;
}

const WIDTH: Record<SyncWhen, number> = { never: 0, insert: 1, insert_or_update: 2 };

export const syncWhenLabels: Record<SyncWhen, string> = { insert: 'Insert', insert_or_update: 'Insert or Update', never: 'Never' };

/** What a direction means on each side: the provider reads inbound as coming to it, a consumer as going out. */
export const directionLabels: Record<'provider' | 'consumer', Record<RemoteTaskDirection, string>> = {
  provider: { inbound: 'Inbound (from the consumer)', outbound: 'Outbound (to the consumer)', both: 'Both ways' },
  consumer: { inbound: 'To the provider only', outbound: 'From the provider only', both: 'Both ways' },
};

/** The directions a consumer may choose for a field offered `offered`: one offered both ways may be narrowed to either way. */
export const directionChoices = (offered: RemoteTaskDirection): RemoteTaskDirection[] => (offered === 'both' ? ['both', 'inbound', 'outbound'] : [offered]);

/** How often a consumer may sync a field offered `offered`: as often or less. */
export const syncWhenChoices = (offered: SyncWhen): SyncWhen[] => syncWhenValues.filter((value) => WIDTH[value] <= WIDTH[offered]);

const mapText = (map: Record<string, string> | undefined) =>
  Object.entries(map ?? {})
    .map(([local, remote]) => `${local}=${remote}`)
    .join(', ');

/**
 * The rows a form starts from: the rules a consumer ran before (on an
 * upgrade) where a field is still offered, and the provider's otherwise, on
 * the local field of the same name when the table has one.
 */
export function startingRows(offered: readonly RemoteTaskField[], localFields: ReadonlySet<string>, earlier: readonly ActivatedField[] = []): RuleRow[] {
  return offered.map((field) => {
    const before = earlier.find((one) => one.name === field.name);
    const narrowed = before !== undefined && directionChoices(field.direction).includes(before.direction) && syncWhenChoices(field.sync_when).includes(before.sync_when);
    return {
      name: field.name,
      local_field: before ? before.local_field : localFields.has(field.name) ? field.name : null,
      direction: narrowed ? before.direction : field.direction,
      sync_when: narrowed ? before.sync_when : field.sync_when,
      value_map: mapText(before?.value_map),
    };
  });
}

/** A value map as typed, or what is wrong with it. */
export function parseValueMap(text: string): { map: Record<string, string> } | { problem: string } {
  const map: Record<string, string> = {};
  for (const pair of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [local, remote, ...rest] = pair.split('=').map((part) => part.trim());
    if (!local || !remote || rest.length > 0) return { problem: `"${pair}" is not local=remote` };
    if (Object.hasOwn(map, local)) return { problem: `${local} is mapped twice` };
    map[local] = remote;
  }
  return { map };
}

/** The activation's `fields`, one rule per row, or what is wrong with the value maps typed (each with its field's name). */
export function rulesOf(rows: readonly RuleRow[]): { rules: RemoteTaskFieldRule[]; problems: string[] } {
  const rules: RemoteTaskFieldRule[] = [];
  const problems: string[] = [];
  for (const row of rows) {
    const parsed = parseValueMap(row.value_map);
    if ('problem' in parsed) {
      problems.push(`The value map of ${row.name}: ${parsed.problem}. Write local=remote pairs separated by commas, e.g. 1=1, 2=10.`);
      continue;
    }
    const hasMap = Object.keys(parsed.map).length > 0;
    rules.push({ name: row.name, local_field: row.local_field, direction: row.direction, sync_when: row.sync_when, ...(hasMap ? { value_map: parsed.map } : {}) });
  }
  return { rules, problems };
}
