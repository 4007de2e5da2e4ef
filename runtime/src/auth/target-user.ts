import type { Request } from 'express';
import { requestScope } from '../domains/request-scope.js';
import { notFound } from '../http/problem.js';
import { principalOf, requireRole } from './principal.js';
import { roles } from './roles.js';
import type { StoredUser, UserStore } from './user-store.js';

/**
 * The user a `/users/:userId` route acts on. Anyone may act on themselves
 * (`me` or their own sys_id); acting on another needs admin, and finds only
 * users inside the caller's domain tree. One outside answers 404 exactly as
 * a missing one, so an admin cannot learn who lives in other domains.
 */
export async function targetUser(req: Request<{ userId: string }>, users: UserStore, what: string): Promise<StoredUser> {
  const principal = principalOf(req);
  const userId = req.params.userId === 'me' ? principal.sysId : req.params.userId;
  let user: StoredUser | null;
  if (userId === principal.sysId) {
    user = await users.byId(userId);
  } else {
    requireRole(req, [roles.admin], what);
    user = await users.byIdIn(requestScope(req), userId);
  }
  if (!user) throw notFound('unknown-user', `there is no user with sys_id ${userId}`);
  return user;
}
