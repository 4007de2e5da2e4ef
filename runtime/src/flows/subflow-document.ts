import { createHash } from 'node:crypto';
import type { Subflow, SubflowGraph } from '@lockstep/schema';
import type { StoredDocument } from '@lockstep/store';

/**
 * How a subflow is stored. The graph's inputs, outputs, nodes and edges are
 * kept as one JSON string: node params are free-form (field names, value maps
 * keyed by remote values), and NeDB and FerretDB v1 refuse field names with
 * `.` or a leading `$`, which a designer may well type.
 */
interface StoredGraph {
  name: string;
  description: string;
  kind: SubflowGraph['kind'];
  timeLimitMs: number;
  /** JSON of the graph's inputs, outputs, nodes and edges. */
  graph_json: string;
}

interface Audit {
  sys_domain: string;
  sys_created_on: string;
  sys_created_by: string;
  sys_updated_on: string;
  sys_updated_by: string;
}

/** `sys_hub_flow`: one per subflow. A user subflow's editable draft, or a system subflow's latest version. */
export interface StoredSubflow extends StoredDocument, StoredGraph, Audit {
  /** The version the draft will publish as; a system subflow's latest version. */
  version: number;
  status: 'draft' | 'published';
  system: boolean;
  /** Counts saves of the draft; the ETag that `If-Match` must name. */
  revision: number;
  /** 0 until the first publish; a number throughout, so `$max` never compares across types. */
  latest_version: number;
}

/** `sys_hub_flow_version`: one immutable published version, `_id` = `<subflow id>@<version>`. */
export interface StoredSubflowVersion extends StoredDocument, StoredGraph, Audit {
  subflow_id: string;
  version: number;
  system: boolean;
  /** Of the graph, so reloading an unchanged template publishes nothing. */
  content_hash: string;
}

/** A subflow as the API serves it: a draft with its revision and latest published version, or a version. */
export type SubflowView = Subflow & { revision?: number; latestVersion?: number | null };

/** What a list shows: everything but the graph's body. */
export type SubflowSummary = Omit<SubflowView, 'inputs' | 'outputs' | 'nodes' | 'edges'>;

export function versionDocumentId(subflowId: string, version: number): string {
  return `${subflowId}@${version}`;
}

export function storedGraph(graph: SubflowGraph): StoredGraph {
  const { name, description, kind, timeLimitMs, inputs, outputs, nodes, edges } = graph;
  return { name, description, kind, timeLimitMs, graph_json: JSON.stringify({ inputs, outputs, nodes, edges }) };
}

export function graphOf(stored: StoredGraph): SubflowGraph {
  const body = JSON.parse(stored.graph_json) as Pick<SubflowGraph, 'inputs' | 'outputs' | 'nodes' | 'edges'>;
  return { name: stored.name, description: stored.description, kind: stored.kind, timeLimitMs: stored.timeLimitMs, ...body };
}

/** Key order is the schema's, as zod builds its output, so an unchanged graph always hashes the same. */
export function contentHash(graph: SubflowGraph): string {
  return createHash('sha256').update(JSON.stringify(graph)).digest('hex');
}

function auditOf(doc: Audit): Audit {
  const { sys_domain, sys_created_on, sys_created_by, sys_updated_on, sys_updated_by } = doc;
  return { sys_domain, sys_created_on, sys_created_by, sys_updated_on, sys_updated_by };
}

export function subflowSummary(doc: StoredSubflow): SubflowSummary {
  const { name, description, kind, timeLimitMs } = doc;
  return {
    id: doc._id,
    name,
    description,
    kind,
    timeLimitMs,
    version: doc.version,
    status: doc.status,
    system: doc.system,
    revision: doc.revision,
    latestVersion: doc.latest_version === 0 ? null : doc.latest_version,
    ...auditOf(doc),
  };
}

export function subflowView(doc: StoredSubflow): SubflowView {
  return { ...subflowSummary(doc), ...graphOf(doc) };
}

export function versionSummary(doc: StoredSubflowVersion): SubflowSummary {
  const { name, description, kind, timeLimitMs } = doc;
  return { id: doc.subflow_id, name, description, kind, timeLimitMs, version: doc.version, status: 'published', system: doc.system, ...auditOf(doc) };
}

export function versionView(doc: StoredSubflowVersion): SubflowView {
  return { ...versionSummary(doc), ...graphOf(doc) };
}
