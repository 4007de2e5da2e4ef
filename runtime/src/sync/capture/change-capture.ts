import { randomUUID } from 'node:crypto';
import { evaluateCondition } from '@lockstep/flow';
import type { JournalEntry } from '@lockstep/schema';
import type { ResolvedTable } from '../../dictionary/dictionary.js';
import type { CaptureMatcher, OutboxIntent, RecordCapture, RecordChange } from '../../table/record-capture.js';
import type { StoredRecord } from '../../table/record-store.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { StoredCaptureDefinition } from '../config/stored-records.js';
import { capturedObject } from './captured-object.js';
import { echoFree } from './relay.js';
import { covers } from '../../domains/domain-tree.js';

/** Where capture reads its definitions and where their changes go: the sync configuration, which keeps both in memory. */
export type CaptureDefinitionSource = Pick<SyncConfigStore, 'captureDefinitionsFor' | 'outboundFlowsFor'>;

/**
 * A record as a capture filter sees it: its dictionary fields, where a
 * journal field holds the text of the entry this write adds (none before the
 * write), so `comments changes` means "a comment was added" and `comments
 * contains urgent` tests the new comment, not the whole history.
 */
function conditionData(table: ResolvedTable, record: StoredRecord, added: Record<string, JournalEntry>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of table.fields.values()) {
    data[field.name] = field.type === 'journal' ? added[field.name]?.value : record[field.name];
  }
  return data;
}

function applies(definition: StoredCaptureDefinition, change: RecordChange): boolean {
  return (
    change.table.lineage.includes(definition.source_table) &&
    definition.operations.includes(change.operation) &&
    covers(definition.sys_domain, change.current.sys_domain)
  );
}

/** The intents a change leaves: one per definition that applies and whose filter holds, in the definitions' order. */
export function captureIntents(definitions: readonly StoredCaptureDefinition[], change: RecordChange): OutboxIntent[] {
  const current = conditionData(change.table, change.current, change.journal);
  const previous = change.previous && conditionData(change.table, change.previous, {});
  const capturedAt = Date.now();
  return definitions
    .filter((definition) => applies(definition, change) && evaluateCondition(definition.filter, current, previous))
    .map((definition) => ({
      id: randomUUID(),
      capture_definition: definition._id,
      process_event: definition.process_event,
      origin: change.origin,
      captured_at: capturedAt,
      captured: capturedObject({ definition: definition._id, includeFields: definition.include_fields, includeAttachments: definition.include_attachments }, change),
    }));
}

/** Capture as the record store calls it: the active definitions, then a nudge to the relay after each captured write. */
export class ChangeCapture implements RecordCapture {
  constructor(
    private readonly definitions: CaptureDefinitionSource,
    private readonly onCaptured: () => void,
  ) {}

  async matcherFor(table: ResolvedTable): Promise<CaptureMatcher | undefined> {
    // A write through a parent table (task) may reach a record of any table that extends it.
    const found = await this.definitions.captureDefinitionsFor([...new Set([...table.lineage, ...table.classes])]);
    if (found.length === 0) return undefined;
    const events = [...new Set(found.map((definition) => definition.process_event))];
    const destinations = new Map(await Promise.all(events.map(async (event) => [event, (await this.definitions.outboundFlowsFor(event)).map((flow) => flow.remote_system)] as const)));
    // The relay sends no change back where it came from, so an intent that could go nowhere else is not
    // written at all: an inbound flow's writes, typically, which would otherwise cost a write to clear.
    return (change) => captureIntents(found, change).filter((intent) => echoFree(destinations.get(intent.process_event) ?? [], intent.origin).length > 0);
  }

  captured(): void {
    this.onCaptured();
  }
}
