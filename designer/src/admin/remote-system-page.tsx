import { useState } from 'react';
import { syncConfigApi } from '../api/sync-config';
import { StateBadge } from '../console/badges';
import { FormDialog } from '../console/form-dialog';
import { ProblemNotice } from '../console/problem-notice';
import { useAction } from '../console/use-action';
import { useApi } from '../console/use-api';
import { hrefOf } from '../route';
import { DefinitionDomain } from './definition-domain';
import { LinkHistoryList } from './link-history-list';
import { remoteSystemBody, remoteSystemFields, remoteSystemValues } from './remote-system-fields';
import { useConfigChoices } from './use-config-choices';

/**
 * A remote system: its connection (secrets only as fingerprints), its users,
 * its inbound and outbound states, and Validate and Activate, whose refusal
 * lists each finding of the local checks and the handshake with the peer;
 * whether a link in error recovers by itself, and the link history.
 */
export function RemoteSystemPage({ remoteSystemId }: { remoteSystemId: string }) {
  const loaded = useApi(() => syncConfigApi.remoteSystems.get(remoteSystemId), remoteSystemId, 3000);
  const choices = useConfigChoices(loaded.value?.sys_domain);
  const activation = useAction();
  const [activatedAt, setActivatedAt] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const remote = loaded.value;
  if (remote === null) return <section className="console-page">{loaded.error === null ? <p className="muted">Loading…</p> : <ProblemNotice error={loaded.error} />}</section>;

  const activate = async () => {
    setActivatedAt(null);
    if (await activation.run('activate', () => syncConfigApi.activate(remoteSystemId))) setActivatedAt(new Date().toLocaleTimeString());
    loaded.reload();
  };
  const running = activation.busy !== null;
  // Stored records from before the setting have none: recovery is on for them.
  const recovers = remote.auto_recovery !== false;
  const toggleRecovery = async () => {
    await activation.run('recovery', () => syncConfigApi.remoteSystems.patch(remoteSystemId, { auto_recovery: !recovers }));
    loaded.reload();
  };

  const userName = (id: string) => choices.users?.find((user) => user.value === id)?.label ?? id;
  return (
    <section className="console-page">
      <p className="crumbs">
        <a href={hrefOf({ page: 'definition', definitionId: remote.process_sync_definition })}>Process sync definition</a> ›
      </p>
      <div className="card">
        <div className="list-head">
          <h1>
            {remote.name} <StateBadge label="Outbound" state={remote.outbound_state} /> <StateBadge label="Inbound" state={remote.inbound_state} />
          </h1>
          <div className="row-actions">
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" className="primary" disabled={running} onClick={() => void activate()}>
              {activation.busy === 'activate' ? 'Validating…' : 'Validate and Activate'}
            </button>
          </div>
        </div>
        <p>{remote.description || <span className="muted">No description.</span>}</p>
        {activation.busy === 'activate' && (
          <p className="muted" role="status">
            Checking the users here, then the connection and pairing with the peer…
          </p>
        )}
        {activatedAt !== null && (
          <p className="notice" role="status">
            Validated and activated at {activatedAt}: both states are active, and the outbound queue drains in order.
          </p>
        )}
        <ProblemNotice error={activation.error} context="Validate and Activate found problems" />
        <ProblemNotice error={loaded.error} />
        <dl className="facts">
          <div>
            <dt>Domain</dt>
            <dd data-domain={remote.sys_domain}>{remote.sys_domain}, the process sync definition&apos;s</dd>
          </div>
          <div>
            <dt>External ID</dt>
            <dd>{remote.external_id ?? <span className="error">empty: set the peer’s remote system sys_id</span>}</dd>
          </div>
          <div>
            <dt>Connection</dt>
            <dd>
              <code>{remote.connection.base_url}</code> as {remote.connection.user_name}, password {remote.connection.has_password ? 'set' : 'not set'}, signing secrets{' '}
              {remote.connection.signing_secrets.map((secret) => (
                <code key={secret.fingerprint}>{secret.fingerprint}</code>
              ))}
            </dd>
          </div>
          <div>
            <dt>Inbound API user</dt>
            <dd>{userName(remote.inbound_api_user)}</dd>
          </div>
          <div>
            <dt>Run inbound flows as</dt>
            <dd>{userName(remote.run_as_user)}</dd>
          </div>
          <div>
            <dt>Error subflow</dt>
            <dd>{remote.error_subflow === null ? '—' : <a href={hrefOf({ page: 'draft', subflowId: remote.error_subflow })}>{choices.subflowName(remote.error_subflow)} ↗</a>}</dd>
          </div>
          <div>
            <dt>Automatic recovery</dt>
            <dd>
              {recovers ? 'on: a link in error is probed and comes back once the peer validates' : 'off: a link in error waits for Validate and Activate'}{' '}
              <button type="button" className="small" disabled={running} onClick={() => void toggleRecovery()}>
                {recovers ? 'Turn off' : 'Turn on'}
              </button>
            </dd>
          </div>
          <div>
            <dt>Queues</dt>
            <dd>
              <a href={hrefOf({ page: 'queue', side: 'outbound', query: { remote_system: remote.sys_id } })}>Outbound items</a> ·{' '}
              <a href={hrefOf({ page: 'queue', side: 'inbound', query: { remote_system: remote.sys_id } })}>Inbound items</a>
            </dd>
          </div>
        </dl>
      </div>
      <LinkHistoryList remoteSystemId={remote.sys_id} />
      {editing && (
        <FormDialog
          title={`Edit ${remote.name}`}
          confirm="Save"
          fields={remoteSystemFields(choices, true)}
          initial={remoteSystemValues(remote)}
          onCancel={() => setEditing(false)}
          onSubmit={async (values) => {
            await syncConfigApi.remoteSystems.patch(remote.sys_id, remoteSystemBody(values));
            setEditing(false);
            loaded.reload();
          }}
        >
          <DefinitionDomain domain={remote.sys_domain} />
        </FormDialog>
      )}
    </section>
  );
}
