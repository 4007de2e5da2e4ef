import { useSyncExternalStore } from 'react';
import { consoleHref, consolePages, parseConsoleRoute, type ConsoleRoute } from './console/console-routes';

/** The editor's pages; the admin console's are in console-routes. */
type EditorRoute =
  | { page: 'list' }
  | { page: 'draft'; subflowId: string }
  | { page: 'version'; subflowId: string; version: number }
  | { page: 'context'; contextId: string };

/** Where the designer is, kept in the URL's hash so reloads and links land in the same place. */
export type Route = EditorRoute | ConsoleRoute;

export const isConsoleRoute = (route: Route): route is ConsoleRoute => consolePages.has(route.page);

export function parseRoute(hash: string): Route {
  return parseConsoleRoute(hash) ?? parseEditorRoute(hash);
}

function parseEditorRoute(hash: string): EditorRoute {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [first, id, third, version] = parts;
  if (first === 'subflows' && id !== undefined && third === 'versions' && /^\d+$/.test(version ?? '')) return { page: 'version', subflowId: id, version: Number(version) };
  if (first === 'subflows' && id !== undefined) return { page: 'draft', subflowId: id };
  if (first === 'contexts' && id !== undefined) return { page: 'context', contextId: id };
  return { page: 'list' };
}

export function hrefOf(route: Route): string {
  if (isConsoleRoute(route)) return consoleHref(route);
  switch (route.page) {
    case 'list':
      return '#/';
    case 'draft':
      return `#/subflows/${encodeURIComponent(route.subflowId)}`;
    case 'version':
      return `#/subflows/${encodeURIComponent(route.subflowId)}/versions/${route.version}`;
    case 'context':
      return `#/contexts/${encodeURIComponent(route.contextId)}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
