import { remoteTaskTriggerSchema, remoteTaskTriggerUpdateSchema } from '@lockstep/schema';
import { Router, type Request } from 'express';
import { requireRole } from '../auth/principal.js';
import { roles } from '../auth/roles.js';
import { requestScope } from '../domains/request-scope.js';
import { sendPage, withSysId } from '../http/listing.js';
import { parseBody } from '../http/parse.js';
import { notFound, ProblemError } from '../http/problem.js';
import type { ActivationStore, StoredTrigger } from './activation-store.js';
import type { Activations } from './activations.js';

/**
 * Triggers (`/api/lockstep/v1/remote-tasks/triggers`): a condition on an
 * activation's table that raises a remote task on it when a record's change
 * makes it hold, and the record has none on that definition yet. Each change
 * of one brings the activation's capture filter up to date.
 */
export function triggerRoutes(activations: ActivationStore, activating: Activations): Router {
  const router = Router();
  /** The generated capture definition's filter holds the activation's active triggers. */
  const refresh = async (id: string) => {
    const activation = await activations.activations.findOne({ _id: id });
    if (activation) await activating.triggersChanged(activation);
  };
  const configure = (req: Request) => requireRole(req, [roles.processSync], 'Remote task triggers');

  async function visible(req: Request<{ id: string }>): Promise<StoredTrigger> {
    configure(req);
    const trigger = await activations.triggers.findOne({ _id: req.params.id });
    if (!trigger || !requestScope(req).sees(trigger.sys_domain)) throw notFound('unknown-trigger', `there is no remote task trigger ${req.params.id}`);
    return trigger;
  }

  router.get('/', async (req, res) => {
    configure(req);
    const found = await activations.triggers.find(requestScope(req).visible({}), { sort: { name: 1, _id: 1 } });
    sendPage(res, found.map(withSysId), found.length);
  });

  router.post('/', async (req, res) => {
    const principal = configure(req);
    const body = parseBody(remoteTaskTriggerSchema, req.body);
    const activation = await activations.activations.findOne({ _id: body.activation });
    if (!activation || !requestScope(req).sees(activation.sys_domain)) {
      throw new ProblemError(422, 'invalid-reference', 'Unprocessable content', `there is no remote task activation ${body.activation}`, [{ path: 'body.activation', message: 'unknown activation' }]);
    }
    const trigger = await activations.insertTrigger(body, principal.userName, activation.sys_domain);
    await refresh(activation._id);
    res.status(201).location(`${req.baseUrl}/${trigger._id}`).json({ result: withSysId(trigger) });
  });

  router.get('/:id', async (req, res) => {
    res.json({ result: withSysId(await visible(req)) });
  });

  router.patch('/:id', async (req, res) => {
    const trigger = await visible(req);
    const changes = parseBody(remoteTaskTriggerUpdateSchema, req.body);
    const updated = await activations.updateTrigger(trigger._id, Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)), requireRole(req, [roles.processSync], 'Remote task triggers').userName);
    if (!updated) throw notFound('unknown-trigger', `remote task trigger ${trigger._id} was deleted meanwhile`);
    await refresh(updated.activation);
    res.json({ result: withSysId(updated) });
  });

  router.delete('/:id', async (req, res) => {
    const trigger = await visible(req);
    await activations.triggers.deleteOne({ _id: trigger._id });
    await refresh(trigger.activation);
    res.status(204).end();
  });

  return router;
}
