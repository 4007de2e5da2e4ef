import type { SyncRunView } from '@lockstep/schema';

/**
 * Why a sync run runs, given by whoever starts it (the outbound queue, the
 * inbound queue, a link in error, a dry run), beside the inputs a designer
 * declares and sets. Kept apart from those inputs, a caller cannot forge it:
 * a test run's inputs cannot pass for a queue item. Children of the run
 * (Call subflow) run with it too. Its shape is the flow context view's
 * (syncRunSchema), since contexts keep it.
 */
export type SyncRun = SyncRunView;

/** The outbound queue item a run sends: what its envelope takes from it. */
export type QueuedChange = Extract<SyncRun, { kind: 'outbound' }>['item'];
