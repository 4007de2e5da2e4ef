import { tokenCreateSchema, userCreateSchema, userUpdateSchema } from '@lockstep/schema';
import { Router, type Request } from 'express';
import { notFound, ProblemError } from '../http/problem.js';
import { parseBody } from '../http/parse.js';
import { principalOf, requireRole } from './principal.js';
import { roles } from './roles.js';
import { toTokenView, type TokenStore } from './token-store.js';
import { toUserView, type UserStore } from './user-store.js';

/**
 * User and API token management. Admins manage everyone; any user may see
 * themselves and manage their own tokens (how a script gets a token without
 * storing a password).
 */
export function userRoutes(users: UserStore, tokens: TokenStore): Router {
  const router = Router();

  async function userOrNotFound(sysId: string) {
    const user = await users.byId(sysId);
    if (!user) throw notFound('unknown-user', `there is no user with sys_id ${sysId}`);
    return user;
  }

  /** Admins may act on anyone; others only on themselves (`me` or their own sys_id). */
  function targetUserId(req: Request<{ userId: string }>): string {
    const principal = principalOf(req);
    const userId = req.params.userId === 'me' ? principal.sysId : req.params.userId;
    if (userId !== principal.sysId) requireRole(req, [roles.admin], 'managing another user');
    return userId;
  }

  router.get('/me', (req, res) => {
    res.json({ result: principalOf(req) });
  });

  router.get('/users', async (req, res) => {
    requireRole(req, [roles.admin], 'listing users');
    res.json({ result: (await users.list()).map(toUserView) });
  });

  router.post('/users', async (req, res) => {
    requireRole(req, [roles.admin], 'creating users');
    const user = await users.create(parseBody(userCreateSchema, req.body));
    res.status(201).location(`${req.baseUrl}/users/${user._id}`).json({ result: toUserView(user) });
  });

  router.get('/users/:userId', async (req, res) => {
    res.json({ result: toUserView(await userOrNotFound(targetUserId(req))) });
  });

  router.patch('/users/:userId', async (req, res) => {
    requireRole(req, [roles.admin], 'changing users');
    const input = parseBody(userUpdateSchema, req.body);
    const user = await users.update(req.params.userId, input);
    if (!user) throw notFound('unknown-user', `there is no user with sys_id ${req.params.userId}`);
    res.json({ result: toUserView(user) });
  });

  router.delete('/users/:userId', async (req, res) => {
    requireRole(req, [roles.admin], 'deleting users');
    if (req.params.userId === principalOf(req).sysId) {
      throw new ProblemError(409, 'cannot-delete-self', 'Conflict', 'you cannot delete the user you are logged in as; log in as another admin first');
    }
    await userOrNotFound(req.params.userId);
    await tokens.revokeAll(req.params.userId);
    await users.delete(req.params.userId);
    res.status(204).end();
  });

  router.get('/users/:userId/tokens', async (req, res) => {
    const userId = targetUserId(req);
    await userOrNotFound(userId);
    res.json({ result: (await tokens.list(userId)).map(toTokenView) });
  });

  router.post('/users/:userId/tokens', async (req, res) => {
    const userId = targetUserId(req);
    await userOrNotFound(userId);
    const { token, view } = await tokens.issue(userId, parseBody(tokenCreateSchema, req.body));
    res.status(201).json({ result: { ...view, token } });
  });

  router.delete('/users/:userId/tokens/:tokenId', async (req, res) => {
    const userId = targetUserId(req);
    if (!(await tokens.revoke(userId, req.params.tokenId))) {
      throw notFound('unknown-token', `user ${userId} has no token ${req.params.tokenId}`);
    }
    res.status(204).end();
  });

  return router;
}
