import type { Clock } from '../../queue/keyed-work.js';
import type { StoredRemoteSystem, SyncConfigStore } from '../config/sync-config-store.js';
import { runErrorSubflow, type ErrorSubflowParts } from './error-subflow.js';
import type { LinkStates } from './link-states.js';
import type { LinkDirection, LinkFailure, LinkTransitions, RecordedTransition } from './link-transitions.js';

export interface LinkHealthSettings {
  /** How long a direction may keep failing with no success before its state becomes error. @default 5 minutes */
  failureWindowMs: number;
  /** The first probe of a link in error comes this long after it entered error; each further one doubles it. @default 1000 */
  probeBaseMs: number;
  /** The longest wait between two probes. @default 60000 */
  probeMaxMs: number;
  /** How often the failure windows and due probes are looked at. @default 1000 */
  tickMs: number;
}

export const defaultLinkHealthSettings: LinkHealthSettings = { failureWindowMs: 5 * 60_000, probeBaseMs: 1000, probeMaxMs: 60_000, tickMs: 1000 };

export interface LinkHealthParts extends ErrorSubflowParts {
  config: SyncConfigStore;
  states: LinkStates;
  /** Where an entry into error is found again after a restart, for its error subflow. */
  history: LinkTransitions;
  /** The check Validate and Activate makes (users, pairing with the peer); no findings means the link is good. */
  validate: (remote: StoredRemoteSystem) => Promise<string[]>;
  /** What still holds a direction in error though the peer validates (an inbound item in error), or null. */
  holdsInError: (remote: StoredRemoteSystem, direction: LinkDirection) => Promise<string | null>;
  settings?: Partial<LinkHealthSettings>;
  now?: Clock;
}

interface Failing {
  since: number;
  last: LinkFailure;
}

interface Probe {
  attempt: number;
  dueAt: number;
}

const keyOf = (remoteSystem: string, direction: LinkDirection) => `${direction}:${remoteSystem}`;
const partsOf = (key: string) => {
  const [direction, remoteSystem] = key.split(/:(.*)/s) as [LinkDirection, string];
  return { direction, remoteSystem };
};

/**
 * The health of each remote system's links, one per direction. A link goes
 * to error when it has kept failing, with no success, for the failure
 * window: one item's retries, or a flap of a few seconds, do not. The error
 * subflow runs once on that transition. In error, the link is probed with
 * backoff (capped) by the check Validate and Activate makes, and becomes
 * active again when it passes, unless the remote system's auto_recovery is
 * off, which leaves it to the admin.
 */
export class LinkHealth {
  private readonly settings: LinkHealthSettings;
  private readonly now: Clock;
  private readonly failing = new Map<string, Failing>();
  private readonly probes = new Map<string, Probe>();
  /** Links being moved to error or probed now, so that a tick and a failure do not do it twice at once. */
  private readonly busy = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private tickRunning = false;
  private lastDiscovery = -Infinity;
  /** Each link's latest entry into error whose error subflow this process started (one per link, not one per entry ever), and those runs still going. */
  private readonly errorSubflowsStarted = new Map<string, string>();
  private readonly errorSubflowsRunning = new Set<Promise<void>>();

  constructor(private readonly parts: LinkHealthParts) {
    this.settings = { ...defaultLinkHealthSettings, ...parts.settings };
    this.now = parts.now ?? Date.now;
    parts.states.onTransition((transition) => this.transitioned(transition));
  }

  /** Looks at the windows and probes every tick until `stop`; links in error found in the store are probed too. */
  start(): void {
    this.timer = setInterval(() => {
      // A probe of a peer that does not answer may outlast a tick: the next waits for it rather than queue up behind it.
      if (this.tickRunning) return;
      this.tickRunning = true;
      this.ticking = this.tick()
        .catch((error: unknown) => this.parts.logger.error({ err: error }, 'a link health check failed'))
        .finally(() => {
          this.tickRunning = false;
        });
    }, this.settings.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await Promise.all(this.errorSubflowsRunning);
  }

  /** Something went through: the link is not failing. Memory only, as it is called for every item. */
  succeeded(remoteSystem: string, direction: LinkDirection): void {
    this.failing.delete(keyOf(remoteSystem, direction));
  }

  /**
   * A signed call of the remote system's peer came in: it is up again. Its
   * outbound link, if in error, is probed at the next tick and backs off
   * from the start again, rather than wait out a backoff grown to a minute.
   */
  heardFrom(remoteSystem: string): void {
    const key = keyOf(remoteSystem, 'outbound');
    if (this.probes.has(key)) this.probes.set(key, { attempt: 0, dueAt: this.now() });
  }

  /** A connection (outbound) or flow (inbound) failure; enters error when the link has failed for the whole window. */
  async failed(remoteSystem: string, direction: LinkDirection, failure: LinkFailure): Promise<void> {
    const key = keyOf(remoteSystem, direction);
    const failing = this.failing.get(key);
    if (failing) failing.last = failure;
    else this.failing.set(key, { since: this.now(), last: failure });
    await this.enterErrorIfDue(key);
  }

  /** One look at every failing link's window and every due probe; the timer calls it, and tests with their own clock. */
  async tick(): Promise<void> {
    const now = this.now();
    // Links put in error elsewhere (another process, a flow, before a restart) are found here, at the probes' pace.
    if (now - this.lastDiscovery >= this.settings.probeMaxMs) {
      this.lastDiscovery = now;
      await this.discover();
    }
    for (const key of [...this.failing.keys()]) await this.enterErrorIfDue(key);
    for (const [key, probe] of [...this.probes]) if (probe.dueAt <= now) await this.probe(key);
  }

  /** Whether a link is failing now, and since when: for the dashboard and tests. */
  failingSince(remoteSystem: string, direction: LinkDirection): number | null {
    return this.failing.get(keyOf(remoteSystem, direction))?.since ?? null;
  }

  private async discover(): Promise<void> {
    for (const direction of ['outbound', 'inbound'] as const) {
      const inError = await this.parts.config.remoteSystems.find(direction === 'outbound' ? { outbound_state: 'error' } : { inbound_state: 'error' });
      for (const remote of inError) {
        const key = keyOf(remote._id, direction);
        if (!this.probes.has(key)) this.probes.set(key, { attempt: 0, dueAt: this.now() });
        // A process killed between the entry and its error subflow's first step left it unrun.
        const entry = await this.parts.history.latestEntryIntoError(remote._id, direction);
        if (entry) await this.errorSubflowOnce(entry, remote);
      }
    }
  }

  private transitioned(transition: RecordedTransition): void {
    const key = keyOf(transition.remote_system, transition.direction);
    this.failing.delete(key);
    if (transition.to !== 'error') {
      this.probes.delete(key);
      return;
    }
    this.probes.set(key, { attempt: 0, dueAt: this.now() + this.settings.probeBaseMs });
    const running = this.errorSubflowOnce(transition)
      .catch((error: unknown) => this.parts.logger.error({ err: error, remoteSystem: transition.remote_system }, 'the error subflow could not be started'))
      .finally(() => this.errorSubflowsRunning.delete(running));
    this.errorSubflowsRunning.add(running);
  }

  /**
   * The error subflow of one entry into error through failures, unless this process started it already
   * (the flow runner keeps a restart from running it twice). An entry that is no failure (a changed
   * connection, a flow's Set remote system state) runs none: it tells nobody of a broken link.
   */
  private async errorSubflowOnce(entry: RecordedTransition, known?: StoredRemoteSystem): Promise<void> {
    const key = keyOf(entry.remote_system, entry.direction);
    if (entry.failure === null || this.errorSubflowsStarted.get(key) === entry._id) return;
    this.errorSubflowsStarted.set(key, entry._id);
    const remote = known ?? (await this.parts.config.remoteSystem(entry.remote_system));
    if (remote) await runErrorSubflow(this.parts, remote, entry);
  }

  private async exclusively(key: string, work: () => Promise<void>): Promise<void> {
    if (this.busy.has(key)) return;
    this.busy.add(key);
    try {
      await work();
    } finally {
      this.busy.delete(key);
    }
  }

  private enterErrorIfDue(key: string): Promise<void> {
    const failing = this.failing.get(key);
    if (!failing || this.now() - failing.since < this.settings.failureWindowMs) return Promise.resolve();
    return this.exclusively(key, async () => {
      const { remoteSystem, direction } = partsOf(key);
      const seconds = Math.round((this.now() - failing.since) / 1000);
      const reason = `${direction === 'outbound' ? 'sending' : 'applying'} failed for ${seconds} s with no success: ${failing.last.error}`;
      // Only from active: a direction an admin turned off stays off, and one in error already ran its error subflow.
      const left = await this.parts.states.move({ remoteSystem, direction, from: ['active'], to: 'error', reason, failure: failing.last });
      this.failing.delete(key);
      if (left === null) return;
      const remote = await this.parts.config.remoteSystem(remoteSystem);
      if (!remote) return;
      this.parts.logger.warn({ remoteSystem: remote.name, direction, error: failing.last.error, item: failing.last.item?.id }, `the ${direction} link is in error; ${remote.auto_recovery === false ? 'Validate and Activate brings it back' : 'it is probed until it validates'}`);
    });
  }

  private probe(key: string): Promise<void> {
    return this.exclusively(key, async () => {
      const { remoteSystem, direction } = partsOf(key);
      const remote = await this.parts.config.remoteSystem(remoteSystem);
      const state = direction === 'outbound' ? remote?.outbound_state : remote?.inbound_state;
      if (!remote || state !== 'error') {
        this.probes.delete(key);
        return;
      }
      const blocked = remote.auto_recovery === false ? 'automatic recovery is off' : await this.blocker(remote, direction);
      if (blocked === null) {
        await this.parts.states.move({ remoteSystem, direction, from: ['error'], to: 'active', reason: 'the peer answered and validated (automatic recovery)' });
        return;
      }
      const probe = this.probes.get(key) ?? { attempt: 0, dueAt: 0 };
      const attempt = probe.attempt + 1;
      this.probes.set(key, { attempt, dueAt: this.now() + Math.min(this.settings.probeMaxMs, this.settings.probeBaseMs * 2 ** Math.min(30, attempt)) });
      this.parts.logger.debug({ remoteSystem: remote.name, direction, attempt, blocked }, 'the link is still in error');
    });
  }

  /** Why the link may not come back yet, or null: what holds it here first, then what the validation finds. */
  private async blocker(remote: StoredRemoteSystem, direction: LinkDirection): Promise<string | null> {
    const held = await this.parts.holdsInError(remote, direction);
    if (held !== null) return held;
    const findings = await this.parts.validate(remote);
    return findings.length === 0 ? null : findings.join('; ');
  }
}
