import type { CaptureOperation } from '@lockstep/schema';

/** The outbound queue item a run sends: what its envelope takes from it. */
export interface QueuedChange {
  /** The item's id, from which the envelope id derives, and under which attachment offers are recorded. */
  id: string;
  sequence: number;
  process_event_name: string;
  operation: CaptureOperation;
}

/**
 * Why a sync run runs, given by whoever starts it (the outbound queue, the
 * inbound queue, a link in error, a dry run), beside the inputs a designer
 * declares and sets. Kept apart from those inputs, a caller cannot forge it:
 * a test run's inputs cannot pass for a queue item. Children of the run
 * (Call subflow) run with it too.
 */
export type SyncRun =
  | { kind: 'outbound'; remote_system: string; item: QueuedChange }
  | { kind: 'inbound'; remote_system: string; item: string }
  | { kind: 'error'; remote_system: string; direction: 'inbound' | 'outbound' }
  /** A test run of an outbound flow: Send records the envelope it would send, and nothing is offered or sent. */
  | { kind: 'dry_run' };
