import type { FieldDefinition } from '@lockstep/schema';
import { dictionaryApi, type TableView } from '../api/dictionary';
import { recordApi, type TableRecord } from '../api/records';
import type { ListQuery } from '../console/console-routes';
import { FilterBar, type FilterField } from '../console/filter-bar';
import { PagedTable, type Column } from '../console/paged-table';
import { ProblemNotice } from '../console/problem-notice';
import { useApi } from '../console/use-api';
import { textOf } from '../inspector/text-of';
import { hrefOf, navigate } from '../route';
import { choiceLabel } from './field-input';

const LIMIT = 50;
/** The columns a list shows, when the table has them, as the original's default list views do. */
const LIST_FIELDS = ['number', 'short_description', 'state', 'priority', 'sys_updated_on', 'sys_updated_by'];

/** The list's encoded query: the search on the short description, the state, newest first. */
function encodedQuery(query: ListQuery): string {
  const parts = [query.q ? `short_descriptionLIKE${query.q}` : '', query.state ? `state=${query.state}` : '', 'ORDERBYDESCsys_created_on'];
  return parts.filter(Boolean).join('^');
}

function columnsOf(view: TableView): Column<TableRecord>[] {
  const fields = LIST_FIELDS.map((name) => view.fields.find((field) => field.name === name)).filter((field): field is FieldDefinition => field !== undefined);
  return fields.map((field, index) => ({
    header: field.label,
    cell: (record) =>
      index === 0 ? <a href={hrefOf({ page: 'record', table: view.name, sysId: String(record.sys_id) })}>{textOf(record[field.name]) || '(empty)'}</a> : choiceLabel(field, record[field.name]),
  }));
}

/** A table's records, searched and paged, with a picker of the tables the caller may read. */
export function TableBrowser({ table, query }: { table: string; query: ListQuery }) {
  const tables = useApi(() => dictionaryApi.tables(), 'tables');
  const view = tables.value?.find((candidate) => candidate.name === table);
  const offset = Number(query.offset ?? 0);
  const fields = view ? ['sys_id', ...LIST_FIELDS].filter((name) => view.fields.some((field) => field.name === name)).join(',') : undefined;
  const loaded = useApi(() => recordApi.list(table, { query: encodedQuery(query), fields, limit: LIMIT, offset }), `${table}?${JSON.stringify(query)}`, 5000);
  const state = view?.fields.find((field) => field.name === 'state');
  const filters: FilterField[] = [
    { name: 'q', label: 'Short description contains', kind: 'text' },
    ...(state?.type === 'choice' ? [{ name: 'state', label: 'State', kind: 'select' as const, options: state.choices }] : []),
  ];
  const go = (next: ListQuery) => navigate({ page: 'records', table, query: next });

  return (
    <section className="console-page">
      <div className="list-head">
        <h1>
          <select aria-label="Table" value={table} onChange={(event) => navigate({ page: 'records', table: event.target.value, query: {} })}>
            {(tables.value ?? []).map((candidate) => (
              <option key={candidate.name} value={candidate.name}>
                {candidate.label} ({candidate.name})
              </option>
            ))}
            {view === undefined && <option value={table}>{table}</option>}
          </select>
        </h1>
        {view?.access.write && (
          <a className="button primary" href={hrefOf({ page: 'new-record', table })}>
            New {view.label.toLowerCase()}
          </a>
        )}
      </div>
      <ProblemNotice error={tables.error} context="The tables could not be listed" />
      {tables.value !== null && view === undefined && <p className="error">There is no table {table} you may read; pick one above.</p>}
      <FilterBar fields={filters} query={query} onChange={go} />
      {view && <PagedTable label={`${view.label} records`} loaded={loaded} columns={columnsOf(view)} rowKey={(record) => String(record.sys_id)} offset={offset} limit={LIMIT} onOffset={(next) => go({ ...query, offset: String(next) })} empty="No records match." />}
    </section>
  );
}
