import type { Logger } from 'pino';
import type { UserStore } from '../../auth/user-store.js';
import type { FlowEngine } from '../../flows/flow-engine.js';
import type { StoredRemoteSystem } from '../config/stored-records.js';
import { remoteSystemRunAs } from '../remote-run-as.js';
import type { RecordedTransition } from './link-transitions.js';

export interface ErrorSubflowParts {
  flows: FlowEngine;
  users: UserStore;
  logger: Logger;
}

/**
 * Runs a remote system's error subflow for one entry into Error, as its
 * run-as user in its own domain: the error concerns the link, not one
 * record. Its inputs name the direction, the error and, when one item's
 * failures caused it, that item (`item`, which the template declares).
 * The run's context id is the transition's, so it runs once per entry: a
 * second start (after a restart that cut the first short, or from another
 * process) finds that run and starts none.
 */
export async function runErrorSubflow(parts: ErrorSubflowParts, remote: StoredRemoteSystem, entry: RecordedTransition): Promise<void> {
  const { direction } = entry;
  const error = entry.failure?.error ?? entry.reason;
  const item = entry.failure?.item ?? null;
  const { flows, logger } = parts;
  if (remote.error_subflow === null) return;
  const subflow = await flows.latestPublished(remote.error_subflow);
  if (!subflow) {
    logger.error({ remoteSystem: remote.name, subflow: remote.error_subflow }, 'the error subflow has no published version; it did not run');
    return;
  }
  const actor = await remoteSystemRunAs(parts.users, remote, remote.sys_domain);
  if (!actor.ok) {
    logger.error({ remoteSystem: remote.name, subflow: remote.error_subflow }, `the error subflow did not run: ${actor.reason}`);
    return;
  }
  try {
    await flows.runner.start(subflow, { remoteSystem: remote._id, direction, state: 'error', error, item }, { runAs: actor.runAs, contextId: entry._id, sync: { kind: 'error', remote_system: remote._id, direction } });
  } catch (failure) {
    logger.error({ err: failure, remoteSystem: remote.name }, 'the error subflow could not start');
  }
}
