import type { RemoteTaskDefinitionState, RemoteTaskRevision, RemoteTaskRevisionContent } from '@lockstep/schema';
import { newId, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';
import { nowDateTime } from '../time.js';

/** A provider's remote task definition, with every revision it has had. */
export interface StoredRemoteTaskDefinition extends StoredDocument {
  name: string;
  state: RemoteTaskDefinitionState;
  /** Fixed at creation: renaming a later revision must not unlink the tasks already travelling under it. */
  process_event: string;
  revisions: RemoteTaskRevision[];
  /** The consumers' remote systems (on this instance) it is entitled to. */
  entitlements: string[];
  activations: { remote_system: string; revision: number; activated_on: string }[];
  /** Counts the writes: what a change compares and sets. */
  sys_mod: number;
  sys_domain: string;
  sys_created_on: string;
  sys_created_by: string;
  sys_updated_on: string;
  sys_updated_by: string;
}

/** The latest published revision, if any. */
export function publishedRevision(definition: StoredRemoteTaskDefinition): RemoteTaskRevision | undefined {
  return definition.revisions.filter((revision) => revision.status === 'published').at(-1);
}

export function revisionOf(definition: StoredRemoteTaskDefinition, number: number): RemoteTaskRevision | undefined {
  return definition.revisions.find((revision) => revision.revision === number);
}

/**
 * Remote task definitions, on the provider. Every change is a
 * compare-and-set on the write count, so two edits at once cannot both
 * make "the next" revision.
 */
export class RemoteTaskDefinitions {
  private readonly definitions: Collection<StoredRemoteTaskDefinition>;

  constructor(store: DocumentStore) {
    this.definitions = store.collection<StoredRemoteTaskDefinition>('remote_task_definition');
  }

  async prepare(): Promise<void> {
    await this.definitions.createIndex({ fields: ['entitlements'] });
  }

  get(id: string): Promise<StoredRemoteTaskDefinition | null> {
    return this.definitions.findOne({ _id: id });
  }

  list(): Promise<StoredRemoteTaskDefinition[]> {
    return this.definitions.find({}, { sort: { name: 1, _id: 1 } });
  }

  entitledTo(remoteSystem: string): Promise<StoredRemoteTaskDefinition[]> {
    return this.definitions.find({ entitlements: remoteSystem }, { sort: { name: 1, _id: 1 } });
  }

  /** A new definition in Draft, its content as revision 1. */
  create(content: RemoteTaskRevisionContent, actor: string, domain: string): Promise<StoredRemoteTaskDefinition> {
    const now = nowDateTime();
    return this.definitions.insertOne({
      _id: newId(),
      name: content.name,
      state: 'draft',
      process_event: `Remote task: ${content.name}`,
      revisions: [{ ...content, revision: 1, status: 'draft', published_on: null }],
      entitlements: [],
      activations: [],
      sys_mod: 0,
      sys_domain: domain,
      sys_created_on: now,
      sys_created_by: actor,
      sys_updated_on: now,
      sys_updated_by: actor,
    });
  }

  /** Writes `changes` only if the definition is still as read; null when it changed meanwhile or is gone. */
  replace(read: StoredRemoteTaskDefinition, changes: Partial<StoredRemoteTaskDefinition>, actor: string): Promise<StoredRemoteTaskDefinition | null> {
    return this.definitions.findOneAndUpdate(
      { _id: read._id, sys_mod: read.sys_mod },
      { $set: { ...changes, sys_updated_on: nowDateTime(), sys_updated_by: actor, sys_mod: read.sys_mod + 1 } },
      { returnDocument: 'after' },
    );
  }

  delete(id: string): Promise<number> {
    return this.definitions.deleteOne({ _id: id, state: 'draft' });
  }
}
