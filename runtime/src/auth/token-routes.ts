import { tokenCreateSchema } from '@lockstep/schema';
import { Router } from 'express';
import { notFound } from '../http/problem.js';
import { parseBody } from '../http/parse.js';
import { targetUser } from './target-user.js';
import type { TokenStore } from './token-store.js';
import type { UserStore } from './user-store.js';

/**
 * API tokens. Any user manages their own (`me`): how a script gets a token
 * without storing a password. Admins manage those of the users in their
 * domain tree, and can end one token or all of a user's at once.
 */
export function tokenRoutes(users: UserStore, tokens: TokenStore): Router {
  const router = Router();
  const tokenCreate = tokenCreateSchema(tokens.maxDays);

  router.get('/users/:userId/tokens', async (req, res) => {
    const user = await targetUser(req, users, "listing another user's tokens");
    res.json({ result: await tokens.list(user._id) });
  });

  router.post('/users/:userId/tokens', async (req, res) => {
    const user = await targetUser(req, users, 'issuing tokens for another user');
    const input = parseBody(tokenCreate, req.body);
    const { token, view } = await tokens.issue(user._id, input);
    res.status(201).json({ result: { ...view, token } });
  });

  router.delete('/users/:userId/tokens', async (req, res) => {
    const user = await targetUser(req, users, "revoking another user's tokens");
    await tokens.revokeAll(user._id);
    res.status(204).end();
  });

  router.delete('/users/:userId/tokens/:tokenId', async (req, res) => {
    const user = await targetUser(req, users, "revoking another user's tokens");
    if (!(await tokens.revoke(user._id, req.params.tokenId))) {
      throw notFound('unknown-token', `user ${user._id} has no token ${req.params.tokenId}`);
    }
    res.status(204).end();
  });

  return router;
}
