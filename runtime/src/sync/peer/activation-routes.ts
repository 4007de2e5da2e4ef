import { Router } from 'express';
import { requireRole } from '../../auth/principal.js';
import { requestScope } from '../../domains/request-scope.js';
import { roles } from '../../auth/roles.js';
import { notFound, ProblemError } from '../../http/problem.js';
import { validateAndActivate, type ActivationServices } from './validate-and-activate.js';

/** The Validate and Activate Remote System related link, as an API. */
export function activationRoutes(services: ActivationServices): Router {
  const router = Router();

  router.post('/lockstep/v1/sync/remote-systems/:id/activate', async (req, res) => {
    const principal = requireRole(req, [roles.processSync], 'Validate and Activate');
    const remote = await services.config.remoteSystem(req.params.id);
    // One of another domain's is answered as missing, as the config API answers it.
    if (!remote || !requestScope(req).sees(remote.sys_domain)) throw notFound('unknown-remote-system', `there is no remote system ${req.params.id}`);
    const outcome = await validateAndActivate(services, remote, principal.userName);
    if (!outcome.activated) {
      const count = outcome.findings.length;
      throw new ProblemError(
        422,
        'remote-system-not-valid',
        'Unprocessable content',
        `remote system ${remote.name} was not activated: ${count} ${count === 1 ? 'problem' : 'problems'} to fix, then run Validate and Activate again; see errors`,
        outcome.findings,
      );
    }
    req.log.info({ remoteSystem: remote._id }, 'remote system validated and activated');
    res.json({ result: { findings: [], inbound_state: outcome.inbound_state, outbound_state: outcome.outbound_state } });
  });

  return router;
}
