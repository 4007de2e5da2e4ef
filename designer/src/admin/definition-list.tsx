import { useState } from 'react';
import { syncConfigApi, type DefinitionView } from '../api/sync-config';
import { FormDialog, nameAndDescription } from '../console/form-dialog';
import { PagedTable, type Column } from '../console/paged-table';
import { useApi } from '../console/use-api';
import { hrefOf, navigate } from '../route';

const columns: Column<DefinitionView>[] = [
  { header: 'Name', cell: (definition) => <a href={hrefOf({ page: 'definition', definitionId: definition.sys_id })}>{definition.name}</a> },
  { header: 'Description', cell: (definition) => definition.description },
  { header: 'Domain', cell: (definition) => definition.sys_domain },
  { header: 'Updated', cell: (definition) => `${definition.sys_updated_on} by ${definition.sys_updated_by}` },
];

/** Process sync definitions: each groups one integration's capture definitions, events, remote systems and flows. */
export function DefinitionList() {
  const loaded = useApi(() => syncConfigApi.definitions.list(), 'definitions');
  const [creating, setCreating] = useState(false);
  return (
    <section className="console-page">
      <div className="list-head">
        <h1>Process sync definitions</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New process sync definition
        </button>
      </div>
      <PagedTable label="Process sync definitions" loaded={loaded} columns={columns} rowKey={(definition) => definition.sys_id} offset={0} limit={1000} onOffset={() => undefined} empty="No process sync definitions yet." />
      {creating && (
        <FormDialog
          title="New process sync definition"
          confirm="Create"
          fields={nameAndDescription('Which part of the business process this instance handles, e.g. Incidents with the provider.')}
          onCancel={() => setCreating(false)}
          onSubmit={async (values) => {
            const created = await syncConfigApi.definitions.create(values);
            navigate({ page: 'definition', definitionId: created.sys_id });
          }}
        />
      )}
    </section>
  );
}
