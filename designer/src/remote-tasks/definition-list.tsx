import './remote-tasks.css';
import { useState } from 'react';
import { definitionApi, type RemoteTaskDefinitionView } from '../api/remote-tasks';
import { StateBadge } from '../console/badges';
import { PagedTable, type Column } from '../console/paged-table';
import { useApi } from '../console/use-api';
import { hrefOf, navigate } from '../route';
import { DefinitionDialog, NEW_DEFINITION } from './definition-dialog';
import { RemoteTasksNav } from './sub-nav';

const columns: Column<RemoteTaskDefinitionView>[] = [
  { header: 'Name', cell: (definition) => <a href={hrefOf({ page: 'remote-task-definition', definitionId: definition.sys_id })}>{definition.name}</a> },
  { header: 'State', cell: (definition) => <StateBadge state={definition.state} /> },
  { header: 'Target table', cell: (definition) => definition.revisions.at(-1)?.target_table },
  { header: 'Published revision', cell: (definition) => definition.published_revision || '—' },
  { header: 'Entitled consumers', cell: (definition) => definition.entitlements.length },
  { header: 'Activations', cell: (definition) => definition.activations.length },
  { header: 'Domain', cell: (definition) => definition.sys_domain },
];

/** The provider's remote task definitions, and New definition. */
export function RemoteTaskDefinitionList() {
  const loaded = useApi(() => definitionApi.list(), 'remote-task-definitions');
  const [creating, setCreating] = useState(false);
  return (
    <section className="console-page">
      <RemoteTasksNav current="remote-task-definitions" />
      <div className="list-head">
        <h1>Remote task definitions</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New remote task definition
        </button>
      </div>
      <p className="muted">What this instance offers its consumers: each definition is published, entitled to consumers (remote systems) and activated by them.</p>
      <PagedTable label="Remote task definitions" loaded={loaded} columns={columns} rowKey={(definition) => definition.sys_id} offset={0} limit={1000} onOffset={() => undefined} empty="No remote task definitions yet." />
      {creating && (
        <DefinitionDialog
          title="New remote task definition"
          confirm="Create draft"
          initial={NEW_DEFINITION}
          note="It is made in Draft as revision 1; publish it from its page."
          onCancel={() => setCreating(false)}
          onSubmit={async (content) => {
            const created = await definitionApi.create(content);
            navigate({ page: 'remote-task-definition', definitionId: created.sys_id });
          }}
        />
      )}
    </section>
  );
}
