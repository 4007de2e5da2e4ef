import { tableListParamsSchema, tableRecordParamsSchema } from '@lockstep/schema';
import type { ResolvedTable } from '../dictionary/dictionary.js';
import { parseQueryParams } from '../http/parse.js';
import { badRequest, type ProblemFinding } from '../http/problem.js';
import type { Filter, Sort } from '@lockstep/store';
import { EncodedQueryError, parseEncodedQuery } from './encoded-query.js';
import type { RecordQuery } from './record-store.js';

export interface ListParams extends RecordQuery {
  fields: string[] | undefined;
  paginationHeader: boolean;
}

function checkFields(fields: string[] | undefined, table: ResolvedTable): string[] | undefined {
  const unknown = fields?.filter((name) => !table.fields.has(name)) ?? [];
  if (unknown.length > 0) {
    throw badRequest('unknown-field', `sysparm_fields names fields that table ${table.name} does not have: ${unknown.join(', ')}`);
  }
  return fields;
}

export function parseQuery(query: string, table: ResolvedTable, path: string): { filter: Filter; sort: Sort } {
  try {
    return parseEncodedQuery(query, table);
  } catch (error) {
    if (!(error instanceof EncodedQueryError)) throw error;
    const findings: ProblemFinding[] = error.findings.map((finding) => ({ path, message: `${finding.term}: ${finding.message}` }));
    throw badRequest('invalid-query', `${path} is not a valid encoded query; see errors`, findings);
  }
}

function splitParams(query: Record<string, unknown>): { sysparms: Record<string, unknown>; fieldParams: [string, unknown][] } {
  const sysparms: Record<string, unknown> = {};
  const fieldParams: [string, unknown][] = [];
  for (const [name, value] of Object.entries(query)) {
    if (name.startsWith('sysparm_')) sysparms[name] = value;
    else fieldParams.push([name, value]);
  }
  return { sysparms, fieldParams };
}


/**
 * Reads a list request. Besides the sysparm_ parameters, any `field=value`
 * parameter is an equality condition, as in the original (`?active=true`).
 */
export function readListParams(query: Record<string, unknown>, table: ResolvedTable): ListParams {
  const { sysparms, fieldParams } = splitParams(query);
  const params = parseQueryParams(tableListParamsSchema, sysparms);
  const { filter, sort } = parseQuery(params.sysparm_query, table, 'sysparm_query');
  const conditions: Filter[] = Object.keys(filter).length > 0 ? [filter] : [];
  for (const [name, value] of fieldParams) {
    if (typeof value !== 'string') throw badRequest('invalid-parameter', `parameter ${name} is given more than once; give it once`);
    conditions.push(parseQuery(`${name}=${value}`, table, name).filter);
  }
  return {
    filter: conditions.length === 0 ? {} : conditions.length === 1 ? (conditions[0] as Filter) : { $and: conditions },
    sort,
    limit: params.sysparm_limit,
    offset: params.sysparm_offset,
    fields: checkFields(params.sysparm_fields, table),
    paginationHeader: params.sysparm_suppress_pagination_header !== 'true',
  };
}

/** Reads the parameters of a single-record request (get, create, update). */
export function readRecordParams(query: Record<string, unknown>, table: ResolvedTable): { fields: string[] | undefined } {
  const { sysparms, fieldParams } = splitParams(query);
  const [unexpected] = fieldParams;
  if (unexpected) throw badRequest('invalid-parameter', `parameter ${unexpected[0]} is not supported on a single record`);
  return { fields: checkFields(parseQueryParams(tableRecordParamsSchema, sysparms).sysparm_fields, table) };
}
