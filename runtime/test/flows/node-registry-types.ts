/*
 * Compiled by node-registry.test.ts, never run: each @ts-expect-error marks
 * a registry the compiler must refuse. Should one compile, its directive is
 * unused, which is itself an error, and the test fails.
 */
import type { NodeRegistry, NodeType } from '@lockstep/flow';

declare const registry: NodeRegistry;

export const complete: NodeRegistry = registry;

const { 'sync.setRemoteSystemState': removed, ...withoutOne } = registry;
// @ts-expect-error a catalog node without an implementation
export const missingOne: NodeRegistry = withoutOne;

// @ts-expect-error a node bound under another node's type
export const misbound: NodeRegistry = { ...registry, 'sync.setRemoteSystemState': registry['sync.sendPayload'] };

// @ts-expect-error NodeType is the catalog's types, not any string
export const notANode: NodeType = 'sync.notInTheCatalog';

export const kept = removed;
