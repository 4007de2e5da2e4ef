import type { ExpressionErrorCode } from './expressions/expression-error.js';

/*
 * Every code a failed step or run carries, in one place. A flow's error
 * branch tells kinds of failure apart by them (steps.<node>.error.code), and
 * the sync queues decide by them whether to retry: a code is a contract with
 * published flows, so one is added here, never made up where it is thrown.
 */

/** What a node's implementation fails with, on purpose (StepError). */
export type StepErrorCode =
  /** Any failure no other code names. */
  | 'step'
  | 'not_found'
  /** The thing asked for lies outside the domains the run may touch. */
  | 'outside_domain'
  /** A record step's tables param does not list the table it came to. */
  | 'table_not_allowed'
  | 'invalid_payload'
  /** The peer did not answer, or answered that it is down: worth retrying. */
  | 'peer_unavailable'
  /** The peer refused the connection (credentials, signature, address): retried, and counted against the link. */
  | 'peer_connection'
  /** The peer refused the data: sending it again will not help. */
  | 'peer_rejected_data'
  /** A remote task definition is not entitled to the remote system. */
  | 'not_entitled'
  /** A remote task's change is not one its definition admits. */
  | 'not_admitted'
  | QueueActionCode;

/** Why Skip or Reprocess queue item refused an item: the queue API's problem types, as codes. */
export type QueueActionCode = 'unknown_queue_item' | 'invalid_queue_transition' | 'not_last_of_key';

/** What the runner fails a step or a run with itself. */
export type RunnerFailureCode =
  /** The run went over its time limit: fatal, whatever error branch the node has. */
  | 'time_limit'
  /** One attempt went over the node's timeout. */
  | 'timeout'
  | 'not_implemented'
  | 'invalid_params'
  /** The runtime did something it should not: a node's output did not match its definition. */
  | 'internal'
  | ExpressionErrorCode;

export type FailureCode = StepErrorCode | RunnerFailureCode;

const connectionCodes: ReadonlySet<FailureCode> = new Set<FailureCode>(['peer_unavailable', 'peer_connection']);

/** True for codes that blame the connection to the peer, not the item sent: the queue retries those. */
export function blamesConnection(code: FailureCode): boolean {
  return connectionCodes.has(code);
}
