import { z } from 'zod';
import { request } from './client';

const userView = z.object({ sys_id: z.string(), user_name: z.string(), roles: z.array(z.string()), active: z.boolean(), sys_domain: z.string() });

/** Users, for the remote system's user pickers and for the names reference fields show; only admins may read users other than themselves. */
export const userApi = {
  list: async () => (await request(z.object({ result: z.array(userView) }), '/lockstep/v1/users')).body.result,
  get: async (sysId: string) => (await request(z.object({ result: userView }), `/lockstep/v1/users/${encodeURIComponent(sysId)}`)).body.result,
};
