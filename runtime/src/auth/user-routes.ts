import { userCreateSchema, userUpdateSchema } from '@lockstep/schema';
import { Router } from 'express';
import { requestScope } from '../domains/request-scope.js';
import { notFound, ProblemError } from '../http/problem.js';
import { parseBody } from '../http/parse.js';
import { principalOf, requireRole } from './principal.js';
import { roles } from './roles.js';
import { targetUser } from './target-user.js';
import { endsTokens } from './token-revocation.js';
import type { TokenStore } from './token-store.js';
import { assertMayPlace } from './user-placement.js';
import { toUserView, type UserStore } from './user-store.js';

/**
 * User management. Admins manage the users of their domain tree; any user may
 * see themselves. A refused request writes nothing: every check runs before
 * the store is touched.
 */
export function userRoutes(users: UserStore, tokens: TokenStore): Router {
  const router = Router();

  router.get('/me', (req, res) => {
    const { homeDomain, ...principal } = principalOf(req);
    res.json({ result: { ...principal, home_domain: homeDomain } });
  });

  router.get('/users', async (req, res) => {
    requireRole(req, [roles.admin], 'listing users');
    res.json({ result: (await users.list(requestScope(req))).map(toUserView) });
  });

  router.post('/users', async (req, res) => {
    const caller = requireRole(req, [roles.admin], 'creating users');
    const input = parseBody(userCreateSchema, req.body);
    const user = { ...input, sys_domain: input.sys_domain ?? caller.domain };
    assertMayPlace(caller, user, user.roles);
    const created = await users.create(user);
    res.status(201).location(`${req.baseUrl}/users/${created._id}`).json({ result: toUserView(created) });
  });

  router.get('/users/:userId', async (req, res) => {
    res.json({ result: toUserView(await targetUser(req, users, 'reading another user')) });
  });

  router.patch('/users/:userId', async (req, res) => {
    const caller = requireRole(req, [roles.admin], 'changing users');
    const input = parseBody(userUpdateSchema, req.body);
    const before = await targetUser(req, users, 'changing users');
    // A patch that neither moves the user nor changes its roles leaves its placement as it was.
    if (input.roles !== undefined || input.sys_domain !== undefined) {
      const granted = (input.roles ?? []).filter((role) => !before.roles.includes(role));
      assertMayPlace(caller, { roles: input.roles ?? before.roles, sys_domain: input.sys_domain ?? before.sys_domain }, granted);
    }
    const user = await users.update(before._id, input);
    if (!user) throw notFound('unknown-user', `there is no user with sys_id ${before._id}`);
    if (endsTokens(before, input)) await tokens.revokeAll(user._id);
    res.json({ result: toUserView(user) });
  });

  router.delete('/users/:userId', async (req, res) => {
    requireRole(req, [roles.admin], 'deleting users');
    const user = await targetUser(req, users, 'deleting users');
    if (user._id === principalOf(req).sysId) {
      throw new ProblemError(409, 'cannot-delete-self', 'Conflict', 'you cannot delete the user you are logged in as; log in as another admin first');
    }
    await tokens.revokeAll(user._id);
    await users.delete(user._id);
    res.status(204).end();
  });

  return router;
}
