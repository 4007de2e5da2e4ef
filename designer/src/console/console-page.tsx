import { CaptureDefinitionPage } from '../admin/capture-definition-page';
import { DefinitionList } from '../admin/definition-list';
import { DefinitionPage } from '../admin/definition-page';
import { RemoteSystemPage } from '../admin/remote-system-page';
import { ContextList } from '../contexts/context-list';
import { DashboardPage } from '../dashboard/dashboard-page';
import { QueueItemPage } from '../queues/queue-item-page';
import { QueuePage } from '../queues/queue-page';
import { CorrelatedRecord } from '../records/correlated-record';
import { RecordPage } from '../records/record-page';
import { RecordsHome } from '../records/records-home';
import { TableBrowser } from '../records/table-browser';
import { RemoteTaskActivationPage } from '../remote-tasks/activation-page';
import { RemoteTaskCatalogPage } from '../remote-tasks/catalog-page';
import { RemoteTaskDefinitionList } from '../remote-tasks/definition-list';
import { RemoteTaskDefinitionPage } from '../remote-tasks/definition-page';
import type { ConsoleRoute } from './console-routes';

/** The admin console page a route names; each is keyed by what it shows, so moving between two starts afresh. */
export function ConsolePage({ route }: { route: ConsoleRoute }) {
  switch (route.page) {
    case 'dashboard':
      return <DashboardPage />;
    case 'definitions':
      return <DefinitionList />;
    case 'definition':
      return <DefinitionPage key={route.definitionId} definitionId={route.definitionId} />;
    case 'capture-definition':
      return <CaptureDefinitionPage key={route.captureId} captureId={route.captureId} definitionId={null} />;
    case 'new-capture-definition':
      return <CaptureDefinitionPage key={`new/${route.definitionId}`} captureId={null} definitionId={route.definitionId} />;
    case 'remote-system':
      return <RemoteSystemPage key={route.remoteSystemId} remoteSystemId={route.remoteSystemId} />;
    case 'queue':
      return <QueuePage key={route.side} side={route.side} query={route.query} />;
    case 'queue-item':
      return <QueueItemPage key={`${route.side}/${route.itemId}`} side={route.side} itemId={route.itemId} />;
    case 'contexts':
      return <ContextList query={route.query} />;
    case 'records-home':
      return <RecordsHome />;
    case 'records':
      return <TableBrowser key={route.table} table={route.table} query={route.query} />;
    case 'record':
      return <RecordPage key={`${route.table}/${route.sysId}`} table={route.table} sysId={route.sysId} />;
    case 'new-record':
      return <RecordPage key={`${route.table}/new`} table={route.table} sysId={null} />;
    case 'correlated':
      return <CorrelatedRecord key={route.correlationId} correlationId={route.correlationId} />;
    case 'remote-task-definitions':
      return <RemoteTaskDefinitionList />;
    case 'remote-task-definition':
      return <RemoteTaskDefinitionPage key={route.definitionId} definitionId={route.definitionId} />;
    case 'remote-task-catalog':
      return <RemoteTaskCatalogPage />;
    case 'remote-task-activation':
      return <RemoteTaskActivationPage key={route.activationId} activationId={route.activationId} />;
  }
}
