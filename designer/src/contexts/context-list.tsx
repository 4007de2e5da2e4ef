import { contextApi, contextStatuses, type FlowContext } from '../api/contexts';
import { subflowApi, type SubflowSummary } from '../api/subflows';
import { StateBadge } from '../console/badges';
import type { ListQuery } from '../console/console-routes';
import { FilterBar, type FilterField } from '../console/filter-bar';
import { dateTime } from '../console/format';
import { PagedTable, type Column } from '../console/paged-table';
import { subflowLabel } from '../console/subflow-label';
import { useApi } from '../console/use-api';
import { hrefOf, navigate } from '../route';

const LIMIT = 50;

const filtersFor = (subflows: readonly SubflowSummary[]): FilterField[] => [
  { name: 'status', label: 'Status', kind: 'select', options: contextStatuses.map((status) => ({ value: status, label: status })) },
  { name: 'test_run', label: 'Runs', kind: 'select', options: [{ value: 'false', label: 'Real runs' }, { value: 'true', label: 'Test runs' }] },
  { name: 'subflow', label: 'Subflow', kind: 'select', options: subflows.map((subflow) => ({ value: subflow.id, label: subflowLabel(subflow) })) },
];

const columns: Column<FlowContext>[] = [
  { header: 'Started', cell: (context) => <a href={hrefOf({ page: 'context', contextId: context.sys_id })}>{dateTime(context.created_at)}</a> },
  { header: 'Status', cell: (context) => <StateBadge state={context.status} /> },
  { header: 'Subflow', cell: (context) => <a href={hrefOf({ page: 'draft', subflowId: context.subflow_id })}>{context.subflow_name}</a> },
  { header: 'Version', cell: (context) => (context.subflow_version === 'draft' ? 'draft' : `v${context.subflow_version}`) },
  { header: 'Steps', cell: (context) => Object.keys(context.steps).length },
  { header: 'Kind', cell: (context) => (context.test_run ? 'test run' : 'run') },
  { header: 'Domain', cell: (context) => context.sys_domain },
  { header: 'Error', cell: (context) => <span className="error clip">{context.error?.message ?? ''}</span> },
];

/** Every flow context, newest first; each opens on the canvas with its steps' statuses and data. */
export function ContextList({ query }: { query: ListQuery }) {
  const offset = Number(query.offset ?? 0);
  const loaded = useApi(() => contextApi.list({ ...query, limit: String(LIMIT) }), JSON.stringify(query), 5000);
  const subflows = useApi(() => subflowApi.list(), 'subflows');
  const go = (next: ListQuery) => navigate({ page: 'contexts', query: next });
  return (
    <section className="console-page">
      <div className="list-head">
        <h1>Flow contexts</h1>
      </div>
      <FilterBar fields={filtersFor(subflows.value ?? [])} query={query} onChange={go} />
      <PagedTable label="Flow contexts" loaded={loaded} columns={columns} rowKey={(context) => context.sys_id} offset={offset} limit={LIMIT} onOffset={(next) => go({ ...query, offset: String(next) })} empty="No flow contexts match these filters." />
    </section>
  );
}
