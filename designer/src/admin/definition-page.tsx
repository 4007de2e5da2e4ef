import { useState } from 'react';
import { syncConfigApi, type CaptureDefinitionView, type FlowLinkView, type ProcessEventView, type RemoteSystemView } from '../api/sync-config';
import { StateBadge } from '../console/badges';
import { FormDialog, nameAndDescription, type FormField, type FormValues } from '../console/form-dialog';
import { ProblemNotice } from '../console/problem-notice';
import { useApi } from '../console/use-api';
import { hrefOf, navigate } from '../route';
import { DefinitionDomain } from './definition-domain';
import { RelatedList } from './related-list';
import { remoteSystemBody, remoteSystemFields } from './remote-system-fields';
import { useConfigChoices } from './use-config-choices';

type FlowKind = 'outbound' | 'inbound';
/** The dialog open: a new record of a kind, or a flow being changed. */
type Dialog = 'process-event' | 'remote-system' | FlowKind | { editing: FlowLinkView; kind: FlowKind } | null;

/** A process sync definition's form and its related lists: capture definitions, process events, remote systems, outbound and inbound flows. */
export function DefinitionPage({ definitionId }: { definitionId: string }) {
  const loaded = useApi(() => syncConfigApi.related(definitionId), definitionId);
  const choices = useConfigChoices(loaded.value?.sys_domain);
  const [dialog, setDialog] = useState<Dialog>(null);
  const definition = loaded.value;
  if (definition === null) return <section className="console-page">{loaded.error === null ? <p className="muted">Loading…</p> : <ProblemNotice error={loaded.error} />}</section>;

  const { related } = definition;
  const domainNote = <DefinitionDomain domain={definition.sys_domain} />;
  const nameOf = (id: string) => [...related.process_events, ...related.remote_systems].find((record) => record.sys_id === id)?.name ?? id;
  const inDefinition = { process_sync_definition: definitionId };
  const saved = async (save: () => Promise<unknown>) => {
    await save();
    setDialog(null);
    loaded.reload();
  };
  const deleted = (remove: (id: string) => Promise<void>) => async (row: { sys_id: string }) => {
    await remove(row.sys_id);
    loaded.reload();
  };

  const flowColumns = [
    { header: 'Process event', cell: (flow: FlowLinkView) => nameOf(flow.process_event) },
    { header: 'Remote system', cell: (flow: FlowLinkView) => nameOf(flow.remote_system) },
    { header: 'Subflow', cell: (flow: FlowLinkView) => <a href={hrefOf({ page: 'draft', subflowId: flow.subflow })}>{choices.subflowName(flow.subflow)} ↗</a> },
  ];
  const flowFields = (kind: FlowKind): FormField[] => [
    { name: 'process_event', label: 'Process event', kind: 'select', options: related.process_events.map((event) => ({ value: event.sys_id, label: event.name })) },
    { name: 'remote_system', label: 'Remote system', kind: 'select', options: related.remote_systems.map((remote) => ({ value: remote.sys_id, label: remote.name })) },
    { name: 'subflow', label: `${kind === 'outbound' ? 'Outbound' : 'Inbound'} subflow`, kind: 'select', options: choices.publishedOf(kind), help: `A published subflow of ${definition.sys_domain} or a domain above it; its latest version runs. Publish a copy of the basic template in Subflows first.` },
  ];
  const flowsOf = (kind: FlowKind) => (kind === 'outbound' ? syncConfigApi.outboundFlows : syncConfigApi.inboundFlows);
  const createFlow = (kind: FlowKind) => (values: FormValues) => saved(() => flowsOf(kind).create({ ...inDefinition, ...values }));
  const changeFlow = (kind: FlowKind, flow: FlowLinkView) => (values: FormValues) => saved(() => flowsOf(kind).patch(flow.sys_id, values));

  return (
    <section className="console-page">
      <p className="crumbs">
        <a href={hrefOf({ page: 'definitions' })}>Process sync definitions</a> ›
      </p>
      <div className="card">
        <h1>{definition.name}</h1>
        <p>{definition.description || <span className="muted">No description.</span>}</p>
        <p className="muted small">
          Domain <strong data-domain={definition.sys_domain}>{definition.sys_domain}</strong> · updated {definition.sys_updated_on} by {definition.sys_updated_by}
        </p>
      </div>
      <ProblemNotice error={loaded.error} />
      <RelatedList<CaptureDefinitionView>
        title="Capture definitions"
        rows={related.capture_definitions}
        columns={[
          { header: 'Source table', cell: (capture) => <a href={hrefOf({ page: 'capture-definition', captureId: capture.sys_id })}>{capture.source_table}</a> },
          { header: 'Process event', cell: (capture) => nameOf(capture.process_event) },
          { header: 'State', cell: (capture) => <StateBadge state={capture.state} /> },
          { header: 'Order', cell: (capture) => capture.order },
          { header: 'Operations', cell: (capture) => capture.operations.join(', ') },
          { header: 'Include fields', cell: (capture) => capture.include_fields.join(', ') },
        ]}
        onNew={() => navigate({ page: 'new-capture-definition', definitionId })}
        describe={(capture) => `The capture definition on ${capture.source_table}`}
        onDelete={deleted(syncConfigApi.captureDefinitions.remove)}
      />
      <RelatedList<ProcessEventView>
        title="Process events"
        rows={related.process_events}
        columns={[
          { header: 'Name', cell: (event) => event.name },
          { header: 'Description', cell: (event) => event.description },
        ]}
        onNew={() => setDialog('process-event')}
        describe={(event) => `The process event "${event.name}"`}
        onDelete={deleted(syncConfigApi.processEvents.remove)}
      />
      <RelatedList<RemoteSystemView>
        title="Remote systems"
        rows={related.remote_systems}
        columns={[
          { header: 'Name', cell: (remote) => <a href={hrefOf({ page: 'remote-system', remoteSystemId: remote.sys_id })}>{remote.name}</a> },
          { header: 'Outbound state', cell: (remote) => <StateBadge state={remote.outbound_state} /> },
          { header: 'Inbound state', cell: (remote) => <StateBadge state={remote.inbound_state} /> },
          { header: 'Base URL', cell: (remote) => <code>{remote.connection.base_url}</code> },
        ]}
        onNew={() => setDialog('remote-system')}
        describe={(remote) => `The remote system "${remote.name}"`}
        onDelete={deleted(syncConfigApi.remoteSystems.remove)}
      />
      {(['outbound', 'inbound'] as const).map((kind) => (
        <RelatedList<FlowLinkView>
          key={kind}
          title={kind === 'outbound' ? 'Outbound flows' : 'Inbound flows'}
          rows={kind === 'outbound' ? related.outbound_flows : related.inbound_flows}
          columns={flowColumns}
          onNew={() => setDialog(kind)}
          onEdit={(flow) => setDialog({ editing: flow, kind })}
          describe={(flow) => `The ${kind} flow running ${choices.subflowName(flow.subflow)}`}
          onDelete={deleted(flowsOf(kind).remove)}
        />
      ))}

      {dialog === 'process-event' && (
        <FormDialog
          title="New process event"
          confirm="Create"
          fields={nameAndDescription('The same name as on the remote instance: the name links the two halves of the process.')}
          onCancel={() => setDialog(null)}
          onSubmit={(values) => saved(() => syncConfigApi.processEvents.create({ ...inDefinition, ...values }))}
        >
          {domainNote}
        </FormDialog>
      )}
      {dialog === 'remote-system' && (
        <FormDialog title="New remote system" confirm="Create" fields={remoteSystemFields(choices, false)} onCancel={() => setDialog(null)} onSubmit={(values) => saved(() => syncConfigApi.remoteSystems.create({ ...inDefinition, ...remoteSystemBody(values) }))}>
          {domainNote}
        </FormDialog>
      )}
      {(dialog === 'outbound' || dialog === 'inbound') && (
        <FormDialog title={`New ${dialog} flow`} confirm="Create" fields={flowFields(dialog)} onCancel={() => setDialog(null)} onSubmit={createFlow(dialog)}>
          {domainNote}
        </FormDialog>
      )}
      {typeof dialog === 'object' && dialog !== null && (
        <FormDialog
          title={`Edit ${dialog.kind} flow`}
          confirm="Save"
          fields={flowFields(dialog.kind)}
          initial={{ process_event: dialog.editing.process_event, remote_system: dialog.editing.remote_system, subflow: dialog.editing.subflow }}
          onCancel={() => setDialog(null)}
          onSubmit={changeFlow(dialog.kind, dialog.editing)}
        >
          {domainNote}
        </FormDialog>
      )}
    </section>
  );
}
