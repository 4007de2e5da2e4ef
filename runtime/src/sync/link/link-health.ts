import type { Clock } from '../../queue/keyed-worker.js';
import type { StoredRemoteSystem, SyncConfigStore } from '../config/sync-config-store.js';
import { runErrorSubflow, type ErrorSubflowParts, type FailedItem } from './error-subflow.js';
import type { LinkStates, StateChange } from './link-states.js';
import type { LinkDirection } from './link-transitions.js';

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

/** Why a direction is failing: the last error, and the item it happened to, if one. */
export interface LinkFailure {
  error: string;
  item: FailedItem | null;
}

export interface LinkHealthParts extends ErrorSubflowParts {
  config: SyncConfigStore;
  states: LinkStates;
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

  constructor(private readonly parts: LinkHealthParts) {
    this.settings = { ...defaultLinkHealthSettings, ...parts.settings };
    this.now = parts.now ?? Date.now;
    parts.states.onTransition((change) => this.transitioned(change));
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
  }

  /** Something went through: the link is not failing. Memory only, as it is called for every item. */
  succeeded(remoteSystem: string, direction: LinkDirection): void {
    this.failing.delete(keyOf(remoteSystem, direction));
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
      }
    }
  }

  private transitioned(change: StateChange): void {
    const key = keyOf(change.remoteSystem, change.direction);
    this.failing.delete(key);
    if (change.to === 'error') this.probes.set(key, { attempt: 0, dueAt: this.now() + this.settings.probeBaseMs });
    else this.probes.delete(key);
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
      const left = await this.parts.states.move({ remoteSystem, direction, from: ['active'], to: 'error', reason });
      this.failing.delete(key);
      if (left === null) return;
      const remote = await this.parts.config.remoteSystem(remoteSystem);
      if (!remote) return;
      this.parts.logger.warn({ remoteSystem: remote.name, direction, error: failing.last.error, item: failing.last.item?.id }, `the ${direction} link is in error; ${remote.auto_recovery === false ? 'Validate and Activate brings it back' : 'it is probed until it validates'}`);
      await runErrorSubflow(this.parts, remote, direction, failing.last.error, failing.last.item);
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
