import { useState } from 'react';
import { syncConfigApi, type DefinitionView } from '../api/sync-config';
import { FormDialog, nameAndDescription, type FormField, type FormValues } from '../console/form-dialog';
import { PagedTable, type Column } from '../console/paged-table';
import { useApi } from '../console/use-api';
import { covers } from '../domains/domain-path';
import { useWorkingDomain, type WorkingDomain } from '../domains/working-domain';
import { hrefOf, navigate } from '../route';

const columns: Column<DefinitionView>[] = [
  { header: 'Name', cell: (definition) => <a href={hrefOf({ page: 'definition', definitionId: definition.sys_id })}>{definition.name}</a> },
  { header: 'Description', cell: (definition) => definition.description },
  { header: 'Domain', cell: (definition) => definition.sys_domain },
  { header: 'Updated', cell: (definition) => `${definition.sys_updated_on} by ${definition.sys_updated_by}` },
];

/** The domains a new definition may go in: the working domain and those below it, as the picker lists them. */
function domainField({ name, choices }: WorkingDomain): FormField[] {
  const options = (choices ?? []).filter((domain) => covers(name, domain.name)).map((domain) => ({ value: domain.name, label: domain.name }));
  if (options.length < 2) return [];
  return [{ name: 'sys_domain', label: 'Domain', kind: 'select', options, help: 'Everything made under the definition lives in this domain, and it captures records of this domain and below it.' }];
}

/** Without a domain chosen, the runtime makes the definition in the working domain. */
const definitionBody = ({ sys_domain, ...rest }: FormValues) => (sys_domain ? { ...rest, sys_domain } : rest);

/** Process sync definitions: each groups one integration's capture definitions, events, remote systems and flows. */
export function DefinitionList() {
  const loaded = useApi(() => syncConfigApi.definitions.list(), 'definitions');
  const working = useWorkingDomain();
  const [creating, setCreating] = useState(false);
  const domains = domainField(working);
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
          fields={[...nameAndDescription('Which part of the business process this instance handles, e.g. Incidents with the provider.'), ...domains]}
          initial={{ sys_domain: working.name }}
          onCancel={() => setCreating(false)}
          onSubmit={async (values) => {
            const created = await syncConfigApi.definitions.create(definitionBody(values));
            navigate({ page: 'definition', definitionId: created.sys_id });
          }}
        >
          {domains.length === 0 && <p className="muted small">Domain {working.name}.</p>}
        </FormDialog>
      )}
    </section>
  );
}
