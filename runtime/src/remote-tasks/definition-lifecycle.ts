import type { RemoteTaskDefinitionState, RemoteTaskRevision, RemoteTaskRevisionContent } from '@lockstep/schema';
import { ProblemError } from '../http/problem.js';
import { nowDateTime } from '../time.js';
import { publishedRevision, revisionOf, type StoredRemoteTaskDefinition } from './definition-store.js';

/**
 * The lifecycle of a remote task definition: Draft → Published → Inactive →
 * Archived → Retired, each move forward, and Inactive back to Published.
 * These functions say what a change makes of a definition, or why not.
 */

const ORDER: RemoteTaskDefinitionState[] = ['draft', 'published', 'inactive', 'archived', 'retired'];

function conflict(slug: string, detail: string): ProblemError {
  return new ProblemError(409, slug, 'Conflict', detail);
}

/** An edit: the draft revision changes in place; after a publish, it starts the next revision as a draft. Consumers keep theirs until they upgrade. */
export function editedRevisions(definition: StoredRemoteTaskDefinition, edit: Partial<RemoteTaskRevisionContent>): RemoteTaskRevision[] {
  if (definition.state === 'retired') throw conflict('definition-retired', `remote task definition "${definition.name}" is retired and can no longer change`);
  const latest = definition.revisions.at(-1)!;
  const content = { ...latest, ...Object.fromEntries(Object.entries(edit).filter(([, value]) => value !== undefined)) };
  if (latest.status === 'draft') return [...definition.revisions.slice(0, -1), { ...content, revision: latest.revision, status: 'draft', published_on: null }];
  return [...definition.revisions, { ...content, revision: latest.revision + 1, status: 'draft', published_on: null }];
}

/** Publishes the draft revision; a Draft definition becomes Published. */
export function published(definition: StoredRemoteTaskDefinition): Pick<StoredRemoteTaskDefinition, 'revisions' | 'state' | 'name'> {
  const latest = definition.revisions.at(-1)!;
  if (latest.status !== 'draft') throw conflict('nothing-to-publish', `remote task definition "${definition.name}" has no draft revision; revision ${latest.revision} is published already. Edit it to start revision ${latest.revision + 1}`);
  if (definition.state === 'retired') throw conflict('definition-retired', `remote task definition "${definition.name}" is retired and publishes nothing more`);
  return {
    revisions: [...definition.revisions.slice(0, -1), { ...latest, status: 'published', published_on: nowDateTime() }],
    state: definition.state === 'draft' ? 'published' : definition.state,
    name: latest.name,
  };
}

/** Forward along the lifecycle, or from Inactive back to Published. */
export function movedTo(definition: StoredRemoteTaskDefinition, state: RemoteTaskDefinitionState): RemoteTaskDefinitionState {
  const from = ORDER.indexOf(definition.state);
  const to = ORDER.indexOf(state);
  const reactivated = definition.state === 'inactive' && state === 'published';
  if (definition.state === 'draft') throw conflict('definition-not-published', `remote task definition "${definition.name}" is a draft; publish it first (POST …/publish)`);
  if (to <= from && !reactivated) throw conflict('invalid-state-change', `remote task definition "${definition.name}" is ${definition.state}; it moves on along draft → published → inactive → archived → retired (or from inactive back to published), not to ${state}`);
  return state;
}

/** Which revision a consumer may activate: the one asked for, or the latest published; only while the definition is Published. */
export function activatableRevision(definition: StoredRemoteTaskDefinition, asked: number | undefined): RemoteTaskRevision {
  if (definition.state !== 'published') throw conflict('definition-not-published', `remote task definition "${definition.name}" is ${definition.state}; only a published definition can be activated`);
  const revision = asked === undefined ? publishedRevision(definition) : revisionOf(definition, asked);
  if (!revision || revision.status !== 'published') throw conflict('revision-not-published', `remote task definition "${definition.name}" has no published revision ${asked ?? ''}`.trim());
  return revision;
}

/** Whether a new remote task may be raised on a revision: the definition must be Published. Open tasks keep syncing whatever its state. */
export function admissionProblem(definition: StoredRemoteTaskDefinition, revision: number): ProblemError | null {
  if (definition.state !== 'published') {
    return conflict(
      'definition-not-accepting',
      `remote task definition "${definition.name}" is ${definition.state}: it takes no new remote tasks; the open ones keep syncing`,
    );
  }
  if (revisionOf(definition, revision)?.status !== 'published') return conflict('revision-not-published', `remote task definition "${definition.name}" has no published revision ${revision}`);
  return null;
}
