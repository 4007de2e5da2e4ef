import {
  resultOf,
  subflowSummarySchema,
  subflowViewSchema,
  validationFindingSchema,
  type SubflowGraph,
  type SubflowSummary,
  type SubflowView,
  type ValidationFindingView,
} from '@lockstep/schema';
import { z } from 'zod';
import { request } from './client';

/** The runtime's answers, checked. A draft carries its revision; versions do not. */
export type { SubflowSummary, SubflowView };

export const findingSchema = validationFindingSchema;
export type Finding = ValidationFindingView;

const one = resultOf(subflowViewSchema);
const many = resultOf(z.array(subflowSummarySchema));

const base = '/lockstep/v1/subflows';
const at = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** A draft as loaded or saved, with the ETag a later save must match. */
export interface LoadedSubflow {
  subflow: SubflowView;
  etag: string | null;
}

const loaded = ({ body, etag }: { body: z.infer<typeof one>; etag: string | null }): LoadedSubflow => ({ subflow: body.result, etag });

export const subflowApi = {
  list: async () => (await request(many, base)).body.result,
  get: async (id: string) => loaded(await request(one, at(id))),
  create: async (graph: SubflowGraph) => loaded(await request(one, base, { method: 'POST', body: graph })),
  save: async (id: string, graph: SubflowGraph, etag: string) => loaded(await request(one, at(id), { method: 'PUT', body: graph, ifMatch: etag })),
  remove: async (id: string, etag: string) => {
    await request(z.undefined(), at(id), { method: 'DELETE', ifMatch: etag });
  },
  copy: async (id: string, name: string) => loaded(await request(one, `${at(id)}/copy`, { method: 'POST', body: { name } })),
  publish: async (id: string, etag: string) => (await request(one, `${at(id)}/publish`, { method: 'POST', ifMatch: etag })).body.result,
  versions: async (id: string) => (await request(many, `${at(id)}/versions`)).body.result,
  version: async (id: string, version: number) => (await request(one, `${at(id)}/versions/${version}`)).body.result,
};
