import { z } from 'zod';
import { request } from './client';

const userView = z.object({ sys_id: z.string(), user_name: z.string(), roles: z.array(z.string()), active: z.boolean(), sys_domain: z.string() });

/** Users, for the remote system's user pickers; only admins may list them. */
export const userApi = {
  list: async () => (await request(z.object({ result: z.array(userView) }), '/lockstep/v1/users')).body.result,
};
