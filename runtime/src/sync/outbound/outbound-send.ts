import { createHash } from 'node:crypto';
import { blamesConnection, type SyncRun } from '@lockstep/flow';
import type { UserStore } from '../../auth/user-store.js';
import type { FlowEngine } from '../../flows/flow-engine.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { LinkHealth } from '../link/link-health.js';
import { remoteSystemRunAs } from '../remote-run-as.js';
import type { OutboundQueue, OutboundQueueItem } from './outbound-queue.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';

type Outcome = { kind: 'sent' } | { kind: 'connection'; message: string } | { kind: 'failed'; message: string };

export interface OutboundSendParts {
  queue: OutboundQueue;
  config: SyncConfigStore;
  flows: FlowEngine;
  /** Where the remote systems' run-as users are read, each time a flow is to run as one. */
  users: UserStore;
  retry: RetryPolicy;
  /** Told of each send that went through or could not connect. */
  link: LinkHealth;
}

/** Sends one claimed item through its outbound flows and records what came of it. */
export class OutboundSend {
  constructor(private readonly parts: OutboundSendParts) {}

  async run(item: OutboundQueueItem): Promise<void> {
    const { outcome, contextId } = await this.runFlows(item);
    const now = Date.now();
    const { queue } = this.parts;
    if (outcome.kind === 'sent') {
      this.parts.link.succeeded(item.remote_system, 'outbound');
      const startedAt = item.started_at ?? now;
      await queue.settle(item, {
        status: 'processed',
        finished_at: now,
        processing_ms: now - startedAt,
        time_in_queue_ms: startedAt - item.created_at,
        flow_context: contextId,
        lease_until: null,
        error_info: null,
      });
    } else if (outcome.kind === 'failed') {
      await queue.settle(item, { status: 'error', finished_at: now, error_info: outcome.message, flow_context: contextId, lease_until: null });
    } else {
      await this.connectionFailed(item, outcome.message, contextId, now);
    }
  }

  private async runFlows(item: OutboundQueueItem): Promise<{ outcome: Outcome; contextId: string | null }> {
    const { config, flows } = this.parts;
    const event = await config.processEvent(item.process_event);
    if (!event) return { outcome: { kind: 'failed', message: `the process event ${item.process_event} no longer exists` }, contextId: null };
    const links = (await config.outboundFlowsFor(item.process_event)).filter((link) => link.remote_system === item.remote_system);
    if (links.length === 0) return { outcome: { kind: 'failed', message: `no outbound flow sends process event ${event.name} to this remote system; add one, then retry the item` }, contextId: null };
    const remote = await config.remoteSystem(item.remote_system);
    if (!remote) return { outcome: { kind: 'failed', message: `the remote system ${item.remote_system} no longer exists` }, contextId: null };
    // In the queued record's domain: the flow touches that record and what hangs off it.
    const actor = await remoteSystemRunAs(this.parts.users, remote, item.sys_domain);
    if (!actor.ok) return { outcome: { kind: 'failed', message: `${actor.reason}, then retry the item` }, contextId: null };
    const inputs = { payload: JSON.parse(item.payload_json) as unknown, remoteSystem: item.remote_system };
    const sync: SyncRun = {
      kind: 'outbound',
      remote_system: item.remote_system,
      item: { id: item._id, sequence: item.sequence, process_event_name: event.name, operation: item.operation },
    };
    let contextId: string | null = null;
    for (const link of links) {
      const subflow = await flows.latestPublished(link.subflow);
      if (!subflow) return { outcome: { kind: 'failed', message: `the outbound subflow ${link.subflow} has no published version; publish it, then retry the item` }, contextId };
      // One context per claim of the item and flow: a resumed claim reuses it, a retry gets a fresh one.
      contextId = createHash('sha256').update(`outbound:${item._id}:${item.started_at ?? 0}:${link._id}`).digest('hex').slice(0, 32);
      let run;
      try {
        // Restartable: an item whose process died is sent again when its lease ends, its envelope id unchanged.
        // The id is this claim's own (its start time), so no earlier run can be stored under it.
        run = await flows.runner.start(subflow, inputs, { runAs: actor.runAs, contextId, sync, restartable: true, newContextId: true });
      } catch (error) {
        // Inputs the subflow does not take, typically: sending again will not help, so the item errors rather than loop on its lease.
        return { outcome: { kind: 'failed', message: `the outbound flow ${subflow.graph.name} could not start: ${error instanceof Error ? error.message : String(error)}` }, contextId };
      }
      if (run.status === 'completed') continue;
      const message = run.error?.message ?? `the outbound flow ${subflow.graph.name} ended ${run.status} instead of completing; outbound flows may not wait`;
      const kind = run.error && blamesConnection(run.error.code) ? 'connection' : 'failed';
      return { outcome: { kind, message }, contextId };
    }
    return { outcome: { kind: 'sent' }, contextId };
  }

  /**
   * The item waits, first in line, for its next attempt (capped backoff),
   * and the link hears of the failure: it goes to error only when it has
   * failed for its whole window with no success, whatever this item's count.
   */
  private async connectionFailed(item: OutboundQueueItem, message: string, contextId: string | null, now: number): Promise<void> {
    const { queue, retry, link } = this.parts;
    const attempts = item.retry.attempts + 1;
    await queue.settle(item, {
      status: 'ready',
      retry: { attempts, next_attempt_at: now + retryDelayMs(retry, attempts), last_error: message },
      flow_context: contextId,
      lease_until: null,
    });
    const failed = { queue: 'outbound' as const, id: item._id, correlation_key: item.correlation_key, sequence: item.sequence, error: message };
    await link.failed(item.remote_system, 'outbound', { error: message, item: failed });
    // The link may have gone to error while this attempt was under way (its failing window ends on a timer too):
    // the reset of its items' retries then passed this one by, as it was not ready yet, and it would wait with
    // its attempts counted, as no item should while the link is in error. Settled first, it is reset here.
    if ((await this.parts.config.remoteSystem(item.remote_system))?.outbound_state === 'error') await queue.retryNow(item.remote_system);
  }
}
