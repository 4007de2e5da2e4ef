import './remote-tasks.css';
import { useState } from 'react';
import { activationApi } from '../api/remote-tasks';
import { syncConfigApi } from '../api/sync-config';
import { Facts } from '../console/facts';
import { useApi } from '../console/use-api';
import { hrefOf } from '../route';
import { ActivationDialog } from './activation-dialog';
import { directionLabels, syncWhenLabels } from './field-rules';
import { Refusal } from './refusal';
import { Triggers } from './triggers';

async function load(activationId: string) {
  const activation = await activationApi.get(activationId);
  const remote = await syncConfigApi.remoteSystems.get(activation.remote_system);
  return { activation, remote };
}

/**
 * One activation on the consumer: the revision new tasks use and its field
 * rules, the configuration it generated (editable like any other), Upgrade
 * when the provider has published a newer revision, and its triggers.
 */
export function RemoteTaskActivationPage({ activationId }: { activationId: string }) {
  const loaded = useApi(() => load(activationId), activationId);
  // The newest revision is the provider's to say; a provider that does not answer only hides Upgrade.
  const offered = useApi(async () => (loaded.value === null ? null : (await activationApi.catalog(loaded.value.activation.remote_system)).find((entry) => entry.definition === loaded.value?.activation.definition) ?? null), `${activationId}/${loaded.value?.activation.revision ?? ''}`);
  const [upgrading, setUpgrading] = useState(false);
  const [upgraded, setUpgraded] = useState<string | null>(null);
  if (loaded.value === null) return <section className="console-page">{loaded.error === null ? <p className="muted">Loading…</p> : <Refusal error={loaded.error} />}</section>;

  const { activation, remote } = loaded.value;
  const current = activation.revisions.find((one) => one.revision === activation.revision);
  const newer = offered.value && offered.value.revision > activation.revision ? offered.value : null;
  const { generated } = activation;
  return (
    <section className="console-page">
      <p className="crumbs">
        <a href={hrefOf({ page: 'remote-task-catalog' })}>Remote task catalog</a> ›
      </p>
      <div className="card">
        <div className="list-head">
          <h1>
            {activation.name} <span className="muted">on {activation.table}</span>
          </h1>
          {newer !== null && (
            <button type="button" className="primary" onClick={() => setUpgrading(true)}>
              Upgrade to revision {newer.revision}
            </button>
          )}
        </div>
        {upgraded !== null && (
          <p className="notice" role="status">
            {upgraded}
          </p>
        )}
        {newer === null && offered.value !== null && <p className="muted small">Revision {activation.revision} is the latest the provider has published.</p>}
        <Refusal error={offered.error} context="The provider could not say whether a newer revision is out" />
        <Facts
          rows={[
            ['Provider', <a key="provider" href={hrefOf({ page: 'remote-system', remoteSystemId: remote.sys_id })}>{remote.name}</a>],
            ['Revision new tasks use', activation.revision],
            ['Revisions run', activation.revisions.map((one) => one.revision).join(', ')],
            ['Process event', <code key="event">{activation.process_event}</code>],
            [
              'Generated configuration',
              <span key="generated">
                <a href={hrefOf({ page: 'capture-definition', captureId: generated.capture_definition })}>Capture definition on {activation.table}</a> ·{' '}
                <a href={hrefOf({ page: 'definition', definitionId: remote.process_sync_definition })}>Process sync definition with its outbound and inbound flows</a>
              </span>,
            ],
            ['Domain', activation.sys_domain],
            ['Updated', `${activation.sys_updated_on} by ${activation.sys_updated_by}`],
          ]}
        />
      </div>
      {current && (
        <div className="card">
          <h2>Field rules of revision {current.revision}</h2>
          <table aria-label="Activated field rules">
            <thead>
              <tr>
                <th>Field</th>
                <th>Local field</th>
                <th>Direction</th>
                <th>Sync when</th>
                <th>Value map</th>
              </tr>
            </thead>
            <tbody>
              {current.fields.map((field) => (
                <tr key={field.name} data-field={field.name}>
                  <td>
                    <code>{field.name}</code>
                    {field.virtual && <span className="badge">virtual</span>}
                  </td>
                  <td>{field.local_field === null ? <span className="muted">left out</span> : <code>{field.local_field}</code>}</td>
                  <td>{directionLabels.consumer[field.direction]}</td>
                  <td>{syncWhenLabels[field.sync_when]}</td>
                  <td className="small">{Object.entries(field.value_map ?? {}).map(([local, theirs]) => `${local} → ${theirs}`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Triggers activation={activation} />
      {upgrading && newer !== null && (
        <ActivationDialog
          title={`Upgrade ${activation.name} to revision ${newer.revision}`}
          confirm="Upgrade"
          entry={newer}
          table={activation.table}
          earlier={current?.fields}
          onCancel={() => setUpgrading(false)}
          onSubmit={async (_table, fields) => {
            const done = await activationApi.upgrade(activation.sys_id, fields);
            setUpgrading(false);
            setUpgraded(`Upgraded to revision ${done.revision}: new remote tasks use it; those raised before keep revision ${activation.revision}.`);
            loaded.reload();
          }}
        />
      )}
    </section>
  );
}
