import type { ActivatedField, CapturedObject, RemoteTaskDirection, RemoteTaskField, RemoteTaskFieldRule, SyncWhen } from '@lockstep/schema';
import type { ProblemFinding } from '../http/problem.js';
import { journalText } from '../sync/actions/transform.js';

/**
 * The field rules of one side of a remote task: for each definition field,
 * the local field it lives in, whether this side sends and takes it, and
 * when. The two sides read one definition in opposite directions.
 */
export interface SideRule {
  name: string;
  local: string | null;
  send: boolean;
  receive: boolean;
  syncWhen: SyncWhen;
  /** Local value to the definition's. */
  valueMap?: Record<string, string>;
}

const WIDTH: Record<SyncWhen, number> = { never: 0, insert: 1, insert_or_update: 2 };

const carries = (direction: RemoteTaskDirection, way: 'inbound' | 'outbound') => direction === 'both' || direction === way;

/** The provider sends what goes outbound and takes what comes inbound; a virtual field is never stored on its record. */
export function providerRules(fields: readonly RemoteTaskField[]): SideRule[] {
  return fields.map((field) => ({
    name: field.name,
    local: field.virtual ? null : (field.target_field ?? field.name),
    send: carries(field.direction, 'outbound'),
    receive: carries(field.direction, 'inbound'),
    syncWhen: field.sync_when,
  }));
}

/** The consumer, the other way round. */
export function consumerRules(fields: readonly ActivatedField[]): SideRule[] {
  return fields.map((field) => ({
    name: field.name,
    local: field.local_field,
    send: carries(field.direction, 'inbound'),
    receive: carries(field.direction, 'outbound'),
    syncWhen: field.sync_when,
    ...(field.value_map ? { valueMap: field.value_map } : {}),
  }));
}

/**
 * A consumer's rules for the fields a revision offers: each adjustment may
 * map a field, narrow its direction (both to one way) and make it sync less
 * often, never more. An offered field it does not adjust keeps the
 * provider's rules, on the local field of its name when there is one.
 */
export function adjustFields(offered: readonly RemoteTaskField[], adjustments: readonly RemoteTaskFieldRule[], localFields: ReadonlySet<string>): { fields: ActivatedField[]; findings: ProblemFinding[] } {
  const findings: ProblemFinding[] = [];
  const byName = new Map(adjustments.map((adjustment) => [adjustment.name, adjustment]));
  adjustments.forEach((adjustment, index) => {
    if (!offered.some((field) => field.name === adjustment.name)) findings.push({ path: `fields.${index}.name`, message: `the definition offers no field ${adjustment.name}` });
  });
  const fields = offered.map((field): ActivatedField => {
    const index = adjustments.findIndex((adjustment) => adjustment.name === field.name);
    const adjustment = byName.get(field.name);
    const direction = adjustment?.direction ?? field.direction;
    const syncWhen = adjustment?.sync_when ?? field.sync_when;
    if (direction !== field.direction && field.direction !== 'both') {
      findings.push({ path: `fields.${index}.direction`, message: `${field.name} is offered ${field.direction} only; it cannot be made ${direction}` });
    }
    if (WIDTH[syncWhen] > WIDTH[field.sync_when]) {
      findings.push({ path: `fields.${index}.sync_when`, message: `${field.name} is offered with sync when ${field.sync_when}; it may sync as often or less, not ${syncWhen}` });
    }
    const local = adjustment ? adjustment.local_field : localFields.has(field.name) ? field.name : null;
    if (local !== null && !localFields.has(local)) findings.push({ path: `fields.${index}.local_field`, message: `the table has no field ${local}` });
    return { name: field.name, local_field: local, direction, sync_when: syncWhen, virtual: field.virtual, ...(adjustment?.value_map ? { value_map: adjustment.value_map } : {}) };
  });
  return { fields, findings };
}

/** Whether a rule lets a field cross in a remote task's first payload or a later one. */
function due(rule: SideRule, first: boolean): boolean {
  return first ? rule.syncWhen !== 'never' : rule.syncWhen === 'insert_or_update';
}

const inverse = (map: Record<string, string>) => Object.fromEntries(Object.entries(map).map(([local, remote]) => [remote, local]));

/**
 * What of a captured change this side sends, under the definition's names:
 * the first payload carries every field the rules let go on insert; a later
 * one only the changed fields they let go on update, and new journal entries.
 */
export function outboundContent(rules: readonly SideRule[], captured: CapturedObject, first: boolean): Pick<CapturedObject, 'fields' | 'journal' | 'changed'> {
  const fields: Record<string, unknown> = {};
  const journal: CapturedObject['journal'] = {};
  const changed: string[] = [];
  for (const rule of rules) {
    if (!rule.send || rule.local === null || !due(rule, first)) continue;
    const entries = captured.journal[rule.local];
    if (entries) {
      journal[rule.name] = entries;
      changed.push(rule.name);
    } else if (Object.hasOwn(captured.fields, rule.local) && (first || captured.changed.includes(rule.local))) {
      const value = captured.fields[rule.local];
      fields[rule.name] = rule.valueMap && value !== null ? (rule.valueMap[String(value)] ?? value) : value;
      changed.push(rule.name);
    }
  }
  return { fields, journal, changed };
}

/** The local values a received payload sets under this side's rules; a field the rules do not let in is dropped. */
export function inboundValues(rules: readonly SideRule[], received: Pick<CapturedObject, 'fields' | 'journal'>, first: boolean): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const rule of rules) {
    if (!rule.receive || rule.local === null || !due(rule, first)) continue;
    const text = journalText(received.journal[rule.name]);
    if (text !== undefined) values[rule.local] = text;
    else if (Object.hasOwn(received.fields, rule.name)) {
      const value = received.fields[rule.name];
      values[rule.local] = rule.valueMap && value !== null ? (inverse(rule.valueMap)[String(value)] ?? value) : value;
    }
  }
  return values;
}
