import { resultOf, userViewSchema } from '@lockstep/schema';
import { z } from 'zod';
import { request } from './client';

/** Users, for the remote system's user pickers and for the names reference fields show; only admins may read users other than themselves. */
export const userApi = {
  list: async () => (await request(resultOf(z.array(userViewSchema)), '/lockstep/v1/users')).body.result,
  get: async (sysId: string) => (await request(resultOf(userViewSchema), `/lockstep/v1/users/${encodeURIComponent(sysId)}`)).body.result,
};
