import { createHash } from 'node:crypto';
import { createRecord, deleteRecord, implement, lookUpRecord, StepError, updateRecord, type RunAs } from '@lockstep/flow';
import { principalOfRun } from '../../auth/principal.js';
import type { ResolvedTable, TableDictionary } from '../../dictionary/dictionary.js';
import { everyDomain, scopeOf } from '../../domains/domain-scope.js';
import { ProblemError } from '../../http/problem.js';
import { DuplicateKeyError } from '@lockstep/store';
import { EncodedQueryError, parseEncodedQuery } from '../../table/encoded-query.js';
import { readRecordWrite, type RecordWrite } from '../../table/record-input.js';
import type { RecordStore } from '../../table/record-store.js';
import { toApiRecord } from '../../table/record-view.js';
import { recordForRun, recordOutsideRunDomain, tableForRun } from './run-table.js';

/**
 * The sys_id a Create record step gives its record: derived from the step's
 * idempotency key, so the step redone after a crash collides with the record
 * it already made instead of making a second one.
 */
export function stepRecordId(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
}

/**
 * The record actions, bound to this instance's tables. They act as the run's
 * user, exactly as the Table API would for that user: its table roles, and
 * only records in the run's domain or below it, which is the user's own
 * domain or, for an outbound run, the queued record's.
 */
export function recordImplementations(dictionary: TableDictionary, records: RecordStore) {
  const tableFor = (name: string, runAs: RunAs, access: 'read' | 'write'): ResolvedTable => tableForRun(dictionary, name, runAs, access);

  /** A Create or Update step with a `tables` list writes only those, whatever its table param came to (a remote system names it, say). */
  function writableTable(params: { table: string; tables?: string[] | undefined }, runAs: RunAs): ResolvedTable {
    if (params.tables !== undefined && params.tables.length > 0 && !params.tables.includes(params.table)) {
      throw new StepError(`the table ${params.table} is not one this step may write (its tables param allows ${params.tables.join(', ')}); add it there if records of ${params.table} should be written`, 'table_not_allowed');
    }
    return tableFor(params.table, runAs, 'write');
  }

  function writeOf(values: Record<string, unknown>, table: ResolvedTable): RecordWrite {
    try {
      return readRecordWrite(values, table);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      const findings = (error.errors ?? []).map((finding) => `${finding.path}: ${finding.message}`).join('; ');
      throw new StepError(`the values are not valid for ${table.name}: ${findings || error.detail}`);
    }
  }

  const lookup = implement(lookUpRecord, async (params, context) => {
    const table = tableFor(params.table, context.runAs, 'read');
    let query;
    try {
      query = parseEncodedQuery(params.query, table);
    } catch (error) {
      if (error instanceof EncodedQueryError) throw new StepError(error.message);
      throw error;
    }
    const page = { ...query, limit: 1, offset: 0 };
    const { records: [first] } = await records.list(table, page, scopeOf(context.runAs));
    if (!first) {
      // A match the run may not see is refused, not passed off as "not found": the flow would go on to create a duplicate.
      const { records: [hidden] } = await records.list(table, page, everyDomain);
      if (hidden) throw recordOutsideRunDomain(table, hidden, context.runAs);
    }
    return { kind: 'done', output: { found: first !== undefined, record: first ? toApiRecord(first, table) : null } };
  });

  const create = implement(createRecord, async (params, context) => {
    const table = writableTable(params, context.runAs);
    const write = writeOf(params.values, table);
    const sysId = stepRecordId(context.idempotencyKey);
    try {
      const record = await records.create(table, write, principalOfRun(context.runAs), { sysId, origin: context.origin });
      return { kind: 'done', output: { record: toApiRecord(record, table), sys_id: sysId } };
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      // The step ran before the process died: its record is already there.
      const existing = await recordForRun(records, table, sysId, context.runAs);
      if (!existing) throw error;
      return { kind: 'done', output: { record: toApiRecord(existing, table), sys_id: sysId } };
    }
  });

  const update = implement(updateRecord, async (params, context) => {
    const table = writableTable(params, context.runAs);
    const write = writeOf(params.values, table);
    const once = { scope: context.contextId, key: context.idempotencyKey };
    const updated = await records.update(table, params.sys_id, write, principalOfRun(context.runAs), { once, origin: context.origin });
    // No match: the record is not there, is outside the run's domain, or this step already updated it before a restart.
    const record = updated ?? (await recordForRun(records, table, params.sys_id, context.runAs));
    if (!record) throw new StepError(`there is no ${table.name} record with sys_id ${params.sys_id}`, 'not_found');
    return { kind: 'done', output: { record: toApiRecord(record, table) } };
  });

  const remove = implement(deleteRecord, async (params, context) => {
    const table = tableFor(params.table, context.runAs, 'write');
    const deleted = await records.delete(table, params.sys_id, principalOfRun(context.runAs), { origin: context.origin });
    // Not deleted: a record outside the run's domain fails the step; redone after a restart, the record being gone means this step deleted it.
    if (!deleted) await recordForRun(records, table, params.sys_id, context.runAs);
    return { kind: 'done', output: { deleted: deleted || context.resumed } };
  });

  return [lookup, create, update, remove];
}
