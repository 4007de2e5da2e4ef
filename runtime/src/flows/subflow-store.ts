import { validateSubflow, type ValidationFinding } from '@lockstep/flow';
import type { SubflowGraph, SubflowKind } from '@lockstep/schema';
import type { Principal } from '../auth/principal.js';
import type { DomainScope } from '../domains/domain-scope.js';
import { DuplicateKeyError, newId, type Collection, type DocumentStore, type Filter } from '@lockstep/store';
import { nowDateTime } from '../time.js';
import { contentHash, graphOf, storedGraph, versionDocumentId, type StoredSubflow, type StoredSubflowVersion } from './subflow-document.js';

export interface SubflowListFilter {
  kind?: SubflowKind;
  system?: boolean;
}

export type PublishOutcome =
  /** With the warnings it was published despite. */
  | { kind: 'published'; version: StoredSubflowVersion; findings: ValidationFinding[] }
  /** Error-severity findings; nothing was stored. */
  | { kind: 'invalid'; findings: ValidationFinding[] }
  /** Another publish of the same draft took this version number first. */
  | { kind: 'raced'; version: number }
  /** The draft was deleted while it was being published. */
  | { kind: 'missing' };

export type DeleteOutcome = { kind: 'deleted' } | { kind: 'missing' } | { kind: 'published'; versions: number };

/** Who the templates are created by in the audit fields. */
const SYSTEM_USER = 'system';

function hasErrors(findings: readonly ValidationFinding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}

/** Where published versions are kept: a copy read from there holds while it is not written (ReadCache). */
export const VERSIONS_COLLECTION = 'sys_hub_flow_version';

/**
 * Subflows and their published versions. Drafts live in `sys_hub_flow`, one
 * per subflow; publishing copies a draft into `sys_hub_flow_version`, whose
 * documents are never changed afterwards, because outbound and inbound flows
 * point at them.
 */

export class SubflowStore {
  private readonly heads: Collection<StoredSubflow>;
  private readonly versions: Collection<StoredSubflowVersion>;

  constructor(store: DocumentStore) {
    this.heads = store.collection<StoredSubflow>('sys_hub_flow');
    this.versions = store.collection<StoredSubflowVersion>(VERSIONS_COLLECTION);
  }

  async prepare(): Promise<void> {
    await this.versions.createIndex({ fields: ['subflow_id', 'version'], unique: true });
  }

  /** Drafts and system subflows that `scope` reaches (its tree's, and its parent domains' it may use), without their graphs' bodies. */
  list(filter: SubflowListFilter, scope: DomainScope): Promise<StoredSubflow[]> {
    const query: Filter = {};
    if (filter.kind !== undefined) query.kind = filter.kind;
    if (filter.system !== undefined) query.system = filter.system;
    return this.heads.find(scope.reachable(query), { sort: { name: 1, _id: 1 }, projection: { graph_json: 0 } });
  }

  /** The draft, or a system subflow's latest version, whatever its domain (`sys_domain`, as its versions'). */
  get(id: string): Promise<StoredSubflow | null> {
    return this.heads.findOne({ _id: id });
  }

  latestPublished(id: string): Promise<StoredSubflowVersion | null> {
    return this.versions.findOne({ subflow_id: id }, { sort: { version: -1 } });
  }

  version(id: string, version: number): Promise<StoredSubflowVersion | null> {
    return this.versions.findOne({ _id: versionDocumentId(id, version) });
  }

  /** Oldest first, without the graphs' bodies. */
  listVersions(id: string): Promise<StoredSubflowVersion[]> {
    return this.versions.find({ subflow_id: id }, { sort: { version: 1 }, projection: { graph_json: 0 } });
  }

  async create(graph: SubflowGraph, actor: Principal): Promise<StoredSubflow> {
    const now = nowDateTime();
    return this.heads.insertOne({
      _id: newId(),
      ...storedGraph(graph),
      version: 1,
      status: 'draft',
      system: false,
      revision: 1,
      latest_version: 0,
      sys_domain: actor.domain,
      sys_created_on: now,
      sys_created_by: actor.userName,
      sys_updated_on: now,
      sys_updated_by: actor.userName,
    });
  }

  /** Compare-and-set on the revision: null when the draft is no longer at `revision` (or is gone). */
  async saveDraft(id: string, revision: number, graph: SubflowGraph, actor: Principal): Promise<StoredSubflow | null> {
    return this.heads.findOneAndUpdate(
      { _id: id, system: false, revision },
      { $set: { ...storedGraph(graph), sys_updated_on: nowDateTime(), sys_updated_by: actor.userName }, $inc: { revision: 1 } },
    );
  }

  /** Refused while any version exists: outbound and inbound flows may run it. */
  async deleteDraft(id: string): Promise<DeleteOutcome> {
    const versions = await this.versions.countDocuments({ subflow_id: id });
    if (versions > 0) return { kind: 'published', versions };
    // latest_version: 0 keeps a draft that was published since the count.
    if ((await this.heads.deleteOne({ _id: id, system: false, latest_version: 0 })) === 1) return { kind: 'deleted' };
    const published = await this.versions.countDocuments({ subflow_id: id });
    return published > 0 ? { kind: 'published', versions: published } : { kind: 'missing' };
  }

  /**
   * Freezes the draft as read (the revision the caller's If-Match named) into
   * the next version. The draft's content stays as it is, so its revision does
   * not change and its designer can go on editing without reloading.
   */
  async publish(draft: StoredSubflow, actor: Principal): Promise<PublishOutcome> {
    const graph = graphOf(draft);
    const findings = validateSubflow(graph);
    if (hasErrors(findings)) return { kind: 'invalid', findings };
    // Numbered from the versions themselves, so a publish that died before
    // updating the draft cannot make the next one collide.
    const next = ((await this.latestPublished(draft._id))?.version ?? 0) + 1;
    const now = nowDateTime();
    let version: StoredSubflowVersion;
    try {
      version = await this.versions.insertOne({
        _id: versionDocumentId(draft._id, next),
        subflow_id: draft._id,
        version: next,
        system: false,
        content_hash: contentHash(graph),
        ...storedGraph(graph),
        sys_domain: draft.sys_domain,
        sys_created_on: now,
        sys_created_by: actor.userName,
        sys_updated_on: now,
        sys_updated_by: actor.userName,
      });
    } catch (error) {
      if (error instanceof DuplicateKeyError) return { kind: 'raced', version: next };
      throw error;
    }
    // Two publishes may finish out of order; only ever move the numbers forward.
    const { matchedCount } = await this.heads.updateOne({ _id: draft._id }, { $max: { version: next + 1, latest_version: next } });
    if (matchedCount === 0) {
      await this.versions.deleteOne({ _id: version._id });
      return { kind: 'missing' };
    }
    return { kind: 'published', version, findings };
  }

  /** A new draft from a subflow's draft, a system subflow's latest version, or any published version; null when there is no such source. */
  async copy(id: string, options: { name?: string; version?: number }, actor: Principal): Promise<StoredSubflow | null> {
    const source = options.version === undefined ? await this.get(id) : await this.version(id, options.version);
    if (!source) return null;
    const graph = graphOf(source);
    return this.create({ ...graph, name: options.name ?? `Copy of ${graph.name}`.slice(0, 120) }, actor);
  }

  /**
   * Makes a template the latest version of a system subflow: version 1 the
   * first time, the next version when its content changed, nothing otherwise.
   * Returns the version now current and whether this call published it.
   */
  async publishSystem(id: string, graph: SubflowGraph): Promise<{ version: number; published: boolean }> {
    const hash = contentHash(graph);
    const [latest, head] = await Promise.all([this.latestPublished(id), this.get(id)]);
    const unchanged = latest !== null && latest.content_hash === hash;
    const version = unchanged ? latest.version : (latest?.version ?? 0) + 1;
    if (unchanged && head?.version === version) return { version, published: false };
    const published = !unchanged && (await this.insertSystemVersion(id, version, graph, hash));
    const now = nowDateTime();
    await this.heads.updateOne(
      { _id: id },
      {
        $set: {
          ...storedGraph(graph),
          status: 'published',
          system: true,
          sys_domain: 'global',
          sys_created_by: SYSTEM_USER,
          sys_updated_on: now,
          sys_updated_by: SYSTEM_USER,
        },
        // The head follows the versions forward only, whichever process wrote them.
        $max: { version, revision: version, latest_version: version },
        // An upsert has no "set on insert" in the port; the earliest time is the creation.
        $min: { sys_created_on: now },
      },
      { upsert: true },
    );
    return { version, published };
  }

  /** False when another runtime starting on the same database published it first. */
  private async insertSystemVersion(id: string, version: number, graph: SubflowGraph, hash: string): Promise<boolean> {
    const now = nowDateTime();
    try {
      await this.versions.insertOne({
        _id: versionDocumentId(id, version),
        subflow_id: id,
        version,
        system: true,
        content_hash: hash,
        ...storedGraph(graph),
        sys_domain: 'global',
        sys_created_on: now,
        sys_created_by: SYSTEM_USER,
        sys_updated_on: now,
        sys_updated_by: SYSTEM_USER,
      });
      return true;
    } catch (error) {
      if (error instanceof DuplicateKeyError) return false;
      throw error;
    }
  }
}
