import { dashboardSchema, resultOf, type Dashboard } from '@lockstep/schema';
import { request } from './client';

export type { Dashboard, QueueFigures } from '@lockstep/schema';
export type Bucket = Dashboard['series']['bucket'];

export const dashboardApi = {
  get: async (bucket: Bucket) => (await request(resultOf(dashboardSchema), `/lockstep/v1/sync/dashboard?bucket=${bucket}`)).body.result,
};
