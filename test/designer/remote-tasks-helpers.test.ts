import type { RemoteTaskDefinitionView, RemoteTaskField, RemoteTaskRevision } from '@lockstep/schema';
import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../designer/src/api/client.js';
import { consoleHref, parseConsoleRoute, type ConsoleRoute } from '../../designer/src/console/console-routes.js';
import { directionChoices, parseValueMap, rulesOf, startingRows, syncWhenChoices } from '../../designer/src/remote-tasks/field-rules.js';
import { deletable, lifecycleActions } from '../../designer/src/remote-tasks/lifecycle.js';
import { nextStepFor } from '../../designer/src/remote-tasks/next-step.js';

const field = (name: string, direction: RemoteTaskField['direction'], sync_when: RemoteTaskField['sync_when']): RemoteTaskField => ({ name, label: name, direction, sync_when, virtual: false, target_field: null });

const revision = (number: number, status: RemoteTaskRevision['status']): RemoteTaskRevision => ({
  revision: number,
  status,
  published_on: status === 'published' ? '2026-12-03 10:00:00' : null,
  name: 'Network incident',
  description: '',
  target_table: 'case',
  fields: [field('short_description', 'both', 'insert_or_update')],
  subflows: { inbound: null, outbound: null },
});

type Lifecycle = Pick<RemoteTaskDefinitionView, 'state' | 'revisions'>;
const moves = (definition: Lifecycle) => lifecycleActions(definition).map((action) => action.to);

describe('a consumer’s field rules, narrowed within what the provider offers', () => {
  it('offers a field sent both ways either way, and a one-way field only its way', () => {
    expect(directionChoices('both')).toEqual(['both', 'inbound', 'outbound']);
    expect(directionChoices('inbound')).toEqual(['inbound']);
    expect(directionChoices('outbound')).toEqual(['outbound']);
  });

  it('offers syncing as often as offered or less, never more', () => {
    expect(syncWhenChoices('insert_or_update')).toEqual(['insert', 'insert_or_update', 'never']);
    expect(syncWhenChoices('insert')).toEqual(['insert', 'never']);
    expect(syncWhenChoices('never')).toEqual(['never']);
  });

  it('starts from the provider’s rules on the local field of the same name, and leaves out one the table lacks', () => {
    const rows = startingRows([field('short_description', 'both', 'insert_or_update'), field('category', 'inbound', 'insert')], new Set(['short_description', 'priority']));
    expect(rows).toEqual([
      { name: 'short_description', local_field: 'short_description', direction: 'both', sync_when: 'insert_or_update', value_map: '' },
      { name: 'category', local_field: null, direction: 'inbound', sync_when: 'insert', value_map: '' },
    ]);
  });

  it('carries an upgrade’s earlier rules over while the new revision still allows them, and falls back to what it offers when not', () => {
    const earlier = [
      { name: 'state', local_field: 'state', direction: 'inbound' as const, sync_when: 'insert' as const, virtual: false, value_map: { '2': '10' } },
      { name: 'priority', local_field: 'urgency', direction: 'both' as const, sync_when: 'insert_or_update' as const, virtual: false },
    ];
    const rows = startingRows([field('state', 'both', 'insert_or_update'), field('priority', 'inbound', 'insert')], new Set(['state', 'priority', 'urgency']), earlier);
    expect(rows).toEqual([
      { name: 'state', local_field: 'state', direction: 'inbound', sync_when: 'insert', value_map: '2=10' },
      // Revision 2 offers priority inbound on insert only: the earlier both ways, on every change, is no longer allowed.
      { name: 'priority', local_field: 'urgency', direction: 'inbound', sync_when: 'insert', value_map: '' },
    ]);
  });

  it('reads a value map typed as local=remote pairs, and says what is wrong with one that is not', () => {
    expect(parseValueMap(' 1=1, 2 = 10 ,')).toEqual({ map: { '1': '1', '2': '10' } });
    expect(parseValueMap('')).toEqual({ map: {} });
    expect(parseValueMap('1=1, 2')).toEqual({ problem: '"2" is not local=remote' });
    expect(parseValueMap('1=1=2')).toEqual({ problem: '"1=1=2" is not local=remote' });
    expect(parseValueMap('1=1, 1=3')).toEqual({ problem: '1 is mapped twice' });
  });

  it('makes one rule per field, with a value map only where one was typed, and names the field whose map does not read', () => {
    const rows = [
      { name: 'state', local_field: 'state', direction: 'both' as const, sync_when: 'insert_or_update' as const, value_map: '2=10' },
      { name: 'impact', local_field: null, direction: 'inbound' as const, sync_when: 'never' as const, value_map: '' },
    ];
    expect(rulesOf(rows)).toEqual({
      rules: [
        { name: 'state', local_field: 'state', direction: 'both', sync_when: 'insert_or_update', value_map: { '2': '10' } },
        { name: 'impact', local_field: null, direction: 'inbound', sync_when: 'never' },
      ],
      problems: [],
    });
    expect(rulesOf([{ ...rows[0]!, value_map: 'open' }]).problems).toEqual(['The value map of state: "open" is not local=remote. Write local=remote pairs separated by commas, e.g. 1=1, 2=10.']);
  });
});

describe('a definition’s lifecycle buttons', () => {
  it('offers a draft only Publish, and Delete while it is entitled to no one', () => {
    const draft: Lifecycle = { state: 'draft', revisions: [revision(1, 'draft')] };
    expect(moves(draft)).toEqual(['publish']);
    expect(deletable({ state: 'draft', entitlements: [] })).toBe(true);
    expect(deletable({ state: 'draft', entitlements: ['c1'] })).toBe(false);
    expect(deletable({ state: 'published', entitlements: [] })).toBe(false);
  });

  it('moves a published definition forward, and publishes a new draft revision when there is one', () => {
    expect(moves({ state: 'published', revisions: [revision(1, 'published')] })).toEqual(['inactive', 'archived', 'retired']);
    const edited = lifecycleActions({ state: 'published', revisions: [revision(1, 'published'), revision(2, 'draft')] });
    expect(edited[0]).toMatchObject({ label: 'Publish revision 2', to: 'publish' });
    expect(edited[0]!.consequence).toContain('Consumers keep the revision they activated until they upgrade');
  });

  it('brings an inactive definition back, and lets an archived one only retire; a retired one moves no more', () => {
    expect(moves({ state: 'inactive', revisions: [revision(1, 'published')] })).toEqual(['published', 'archived', 'retired']);
    expect(moves({ state: 'archived', revisions: [revision(1, 'published')] })).toEqual(['retired']);
    expect(moves({ state: 'retired', revisions: [revision(1, 'published'), revision(2, 'draft')] })).toEqual([]);
    expect(lifecycleActions({ state: 'published', revisions: [revision(1, 'published')] }).filter((action) => action.final).map((action) => action.label)).toEqual(['Archive', 'Retire']);
  });
});

describe('what a refusal tells the admin to do', () => {
  const problem = (slug: string, status = 409) => new ApiProblem({ type: `urn:lockstep:problem:${slug}`, title: 'Conflict', status, detail: 'as the runtime says' });

  it('points a consumer that is not entitled at the provider’s admin, and an inactive definition’s refusal at its state', () => {
    expect(nextStepFor(problem('not-entitled', 403))).toContain('entitle this definition to your instance');
    expect(nextStepFor(problem('definition-not-accepting'))).toContain('make it active again');
  });

  it('adds nothing to a problem it has no advice for, nor to a failure that is not a problem', () => {
    expect(nextStepFor(problem('something-else'))).toBeNull();
    expect(nextStepFor(new TypeError('Failed to fetch'))).toBeNull();
  });
});

describe('the remote task pages’ addresses', () => {
  const routes: ConsoleRoute[] = [
    { page: 'remote-task-definitions' },
    { page: 'remote-task-definition', definitionId: 'a'.repeat(32) },
    { page: 'remote-task-catalog' },
    { page: 'remote-task-activation', activationId: 'b'.repeat(32) },
  ];

  it.each(routes.map((route) => [route.page, route] as const))('reads back what it writes for %s', (_page, route) => {
    expect(parseConsoleRoute(consoleHref(route))).toEqual(route);
  });

  it('leaves an address under remote-tasks it does not know to the editor', () => {
    expect(parseConsoleRoute('#/remote-tasks/activations')).toBeNull();
    expect(parseConsoleRoute('#/remote-tasks')).toBeNull();
  });
});
