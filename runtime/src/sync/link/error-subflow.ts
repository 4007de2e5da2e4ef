import type { Logger } from 'pino';
import type { UserStore } from '../../auth/user-store.js';
import type { FlowEngine } from '../../flows/flow-engine.js';
import type { StoredRemoteSystem } from '../config/stored-records.js';
import { remoteSystemRunAs } from '../remote-run-as.js';
import type { LinkDirection } from './link-transitions.js';

/** The queue item whose failures put the link in error: what an error subflow skips or reprocesses. */
export interface FailedItem {
  queue: LinkDirection;
  id: string;
  correlation_key: string;
  sequence: number;
  error: string;
}

export interface ErrorSubflowParts {
  flows: FlowEngine;
  users: UserStore;
  logger: Logger;
}

/**
 * Runs a remote system's error subflow, once per entry into Error, as its
 * run-as user in its own domain: the error concerns the link, not one
 * record. Its inputs name the direction, the error and, when one item's
 * failures caused it, that item (`item`, which the template declares).
 */
export async function runErrorSubflow(parts: ErrorSubflowParts, remote: StoredRemoteSystem, direction: LinkDirection, error: string, item: FailedItem | null): Promise<void> {
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
    await flows.runner.start(subflow, { remoteSystem: remote._id, direction, state: 'error', error, item }, { runAs: actor.runAs, sync: { kind: 'error', remote_system: remote._id, direction } });
  } catch (failure) {
    logger.error({ err: failure, remoteSystem: remote.name }, 'the error subflow could not start');
  }
}
