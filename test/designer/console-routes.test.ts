import { describe, expect, it } from 'vitest';
import { consoleHref, parseConsoleRoute, type ConsoleRoute } from '../../designer/src/console/console-routes.js';

describe('the console’s addresses', () => {
  const routes: ConsoleRoute[] = [
    { page: 'dashboard' },
    { page: 'definitions' },
    { page: 'definition', definitionId: 'a'.repeat(32) },
    { page: 'new-capture-definition', definitionId: 'b'.repeat(32) },
    { page: 'capture-definition', captureId: 'c'.repeat(32) },
    { page: 'remote-system', remoteSystemId: 'd'.repeat(32) },
    { page: 'queue', side: 'outbound', query: { status: 'error', created_after: '1700000000000', offset: '50' } },
    { page: 'queue', side: 'inbound', query: {} },
    { page: 'queue-item', side: 'inbound', itemId: 'envelope:1/2' },
    { page: 'contexts', query: { test_run: 'false' } },
    { page: 'records', table: 'case', query: { q: 'printer & fax' } },
    { page: 'record', table: 'incident', sysId: 'e'.repeat(32) },
    { page: 'new-record', table: 'incident' },
    { page: 'records-home' },
    { page: 'correlated', correlationId: 'f'.repeat(32) },
  ];

  it.each(routes.map((route) => [route.page, route] as const))('reads back what it writes for %s', (_page, route) => {
    expect(parseConsoleRoute(consoleHref(route))).toEqual(route);
  });

  it('leaves the editor’s addresses to the editor, and opens the records on the table the instance works', () => {
    expect(parseConsoleRoute('#/')).toBeNull();
    expect(parseConsoleRoute('#/subflows/abc')).toBeNull();
    expect(parseConsoleRoute('#/contexts/abc')).toBeNull();
    expect(parseConsoleRoute('#/records')).toEqual({ page: 'records-home' });
    expect(consoleHref({ page: 'queue', side: 'outbound', query: { status: '', remote_system: '' } })).toBe('#/queues/outbound');
  });
});
