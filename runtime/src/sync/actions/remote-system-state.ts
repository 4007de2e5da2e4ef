import { implement, setRemoteSystemState, StepError } from '@lockstep/flow';
import { scopeOf } from '../../domains/domain-scope.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { LinkStates } from '../link/link-states.js';
import { remoteSystemOf } from './correlations.js';
import { remoteSystemForRun } from './run-remote-system.js';

/**
 * Set remote system state: a flow (an error subflow, typically) turns a
 * direction of a remote system off, or marks it in error. It changes only a
 * remote system of its run's domain or below: a parent domain's belongs to
 * whoever configured it there. Active is never set by a flow: that is what
 * Validate and Activate earns by checking the connection with the peer.
 */
export function remoteSystemStateImplementation(config: SyncConfigStore, states: LinkStates) {
  return implement(setRemoteSystemState, async (params, context) => {
    const remote = await remoteSystemForRun(config, remoteSystemOf(params.remoteSystem, context), context);
    if (!scopeOf(context.runAs).sees(remote.sys_domain)) {
      throw new StepError(`remote system "${remote.name}" is in domain ${remote.sys_domain}, above ${context.runAs.domain}, where this run works; a flow changes only remote systems of its own domain or below`, 'outside_domain');
    }
    await states.move({ remoteSystem: remote._id, direction: params.direction, from: ['active', 'disabled', 'error'], to: params.state, reason: `set by a flow (context ${context.contextId}) running as ${context.runAs.userName}` });
    const updated = await config.remoteSystem(remote._id);
    if (!updated) throw new StepError(`remote system "${remote.name}" was deleted while this step ran`, 'not_found');
    return { kind: 'done', output: { state: params.direction === 'inbound' ? updated.inbound_state : updated.outbound_state } };
  });
}
