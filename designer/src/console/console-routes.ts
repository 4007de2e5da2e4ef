import { searchOf } from '../api/paged';

/**
 * The admin console's pages, each at a hash address so reloads and links
 * land in the same place; a list's filters and page ride in the address's
 * query (`#/queues/outbound?status=error&offset=100`).
 */
export type QueueSide = 'outbound' | 'inbound';

/** A list's filters and page, as the address carries them. */
export type ListQuery = Readonly<Record<string, string>>;

export type ConsoleRoute =
  | { page: 'dashboard' }
  | { page: 'definitions' }
  | { page: 'definition'; definitionId: string }
  | { page: 'capture-definition'; captureId: string }
  | { page: 'new-capture-definition'; definitionId: string }
  | { page: 'remote-system'; remoteSystemId: string }
  | { page: 'queue'; side: QueueSide; query: ListQuery }
  | { page: 'queue-item'; side: QueueSide; itemId: string }
  | { page: 'contexts'; query: ListQuery }
  /** The records, on the table this instance works, found when opened. */
  | { page: 'records-home' }
  | { page: 'records'; table: string; query: ListQuery }
  | { page: 'record'; table: string; sysId: string }
  | { page: 'new-record'; table: string }
  /** The record the other side of a sync knows by this instance's correlation id: what its links to this side name. */
  | { page: 'correlated'; correlationId: string }
  /** Remote tasks: a provider's definitions, and a consumer's catalog, activations and their triggers. */
  | { page: 'remote-task-definitions' }
  | { page: 'remote-task-definition'; definitionId: string }
  | { page: 'remote-task-catalog' }
  | { page: 'remote-task-activation'; activationId: string };

export const consolePages: ReadonlySet<string> = new Set<ConsoleRoute['page']>([
  'dashboard',
  'definitions',
  'definition',
  'capture-definition',
  'new-capture-definition',
  'remote-system',
  'queue',
  'queue-item',
  'contexts',
  'records-home',
  'records',
  'record',
  'new-record',
  'correlated',
  'remote-task-definitions',
  'remote-task-definition',
  'remote-task-catalog',
  'remote-task-activation',
]);

/** The table the records page opens on when the instance captures none. */
export const DEFAULT_TABLE = 'incident';

const isSide = (text: string | undefined): text is QueueSide => text === 'outbound' || text === 'inbound';

/** The console page a hash names, or null when it names an editor page. */
export function parseConsoleRoute(hash: string): ConsoleRoute | null {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const query: ListQuery = Object.fromEntries(new URLSearchParams(search));
  const [first, second, third, fourth] = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (first === 'dashboard') return { page: 'dashboard' };
  if (first === 'definitions' && second === undefined) return { page: 'definitions' };
  if (first === 'definitions' && third === 'capture-definitions' && fourth === 'new') return { page: 'new-capture-definition', definitionId: second! };
  if (first === 'definitions') return { page: 'definition', definitionId: second! };
  if (first === 'capture-definitions' && second !== undefined) return { page: 'capture-definition', captureId: second };
  if (first === 'remote-systems' && second !== undefined) return { page: 'remote-system', remoteSystemId: second };
  if (first === 'queues' && isSide(second)) return third === undefined ? { page: 'queue', side: second, query } : { page: 'queue-item', side: second, itemId: third };
  if (first === 'contexts' && second === undefined) return { page: 'contexts', query };
  if (first === 'records' && second === undefined) return { page: 'records-home' };
  if (first === 'records') {
    if (third === 'new') return { page: 'new-record', table: second! };
    return third === undefined ? { page: 'records', table: second!, query } : { page: 'record', table: second!, sysId: third };
  }
  if (first === 'correlated' && second !== undefined) return { page: 'correlated', correlationId: second };
  if (first === 'remote-tasks') return remoteTaskRoute(second, third);
  return null;
}

function remoteTaskRoute(kind: string | undefined, id: string | undefined): ConsoleRoute | null {
  if (kind === 'definitions') return id === undefined ? { page: 'remote-task-definitions' } : { page: 'remote-task-definition', definitionId: id };
  if (kind === 'catalog') return { page: 'remote-task-catalog' };
  if (kind === 'activations' && id !== undefined) return { page: 'remote-task-activation', activationId: id };
  return null;
}

const at = (...parts: string[]) => `#/${parts.map(encodeURIComponent).join('/')}`;

export function consoleHref(route: ConsoleRoute): string {
  switch (route.page) {
    case 'dashboard':
      return at('dashboard');
    case 'definitions':
      return at('definitions');
    case 'definition':
      return at('definitions', route.definitionId);
    case 'new-capture-definition':
      return at('definitions', route.definitionId, 'capture-definitions', 'new');
    case 'capture-definition':
      return at('capture-definitions', route.captureId);
    case 'remote-system':
      return at('remote-systems', route.remoteSystemId);
    case 'queue':
      return at('queues', route.side) + searchOf(route.query);
    case 'queue-item':
      return at('queues', route.side, route.itemId);
    case 'contexts':
      return at('contexts') + searchOf(route.query);
    case 'records-home':
      return at('records');
    case 'records':
      return at('records', route.table) + searchOf(route.query);
    case 'record':
      return at('records', route.table, route.sysId);
    case 'new-record':
      return at('records', route.table, 'new');
    case 'correlated':
      return at('correlated', route.correlationId);
    case 'remote-task-definitions':
      return at('remote-tasks', 'definitions');
    case 'remote-task-definition':
      return at('remote-tasks', 'definitions', route.definitionId);
    case 'remote-task-catalog':
      return at('remote-tasks', 'catalog');
    case 'remote-task-activation':
      return at('remote-tasks', 'activations', route.activationId);
  }
}
