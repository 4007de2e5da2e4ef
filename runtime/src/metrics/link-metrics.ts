import { Counter, type Registry } from 'prom-client';
import type { SyncConfigStore } from '../sync/config/sync-config-store.js';
import type { LinkDirection, LinkTransitions, RecordedTransition } from '../sync/link/link-transitions.js';

type LinkLabels = 'remote_system' | 'name' | 'direction';

export interface LinkMetricSources {
  config: Pick<SyncConfigStore, 'remoteSystems'>;
  history: Pick<LinkTransitions, 'all'>;
}

/** How often one direction entered error, and how long it was there, up to `now` when it is there still. */
export function errorPeriods(transitions: readonly RecordedTransition[], direction: LinkDirection, now: number): { entries: number; seconds: number } {
  let entries = 0;
  let ms = 0;
  let since: number | null = null;
  for (const transition of transitions) {
    if (transition.direction !== direction) continue;
    if (transition.to === 'error' && since === null) {
      entries += 1;
      since = transition.at;
    } else if (transition.to !== 'error' && since !== null) {
      ms += transition.at - since;
      since = null;
    }
  }
  if (since !== null) ms += now - since;
  return { entries, seconds: ms / 1000 };
}

/**
 * The Error periods of every remote system's links, from their link
 * history when Prometheus scrapes: read from the store, not counted in
 * memory, so a restart of the process that saw an outage (or a kill of it)
 * loses none of them. The state gauge says where a link is now; these say
 * how often and how long it was in error.
 */
export function registerLinkMetrics(registry: Registry, sources: LinkMetricSources, now: () => number = Date.now): void {
  const counter = (name: string, help: string): Counter<LinkLabels> =>
    new Counter({ name, help, labelNames: ['remote_system', 'name', 'direction'], registers: [registry], collect: () => collect() });
  const entries = counter('lockstep_link_errors_total', "Entries of each remote system's inbound and outbound link into error, by its link history");
  const seconds = counter('lockstep_link_error_seconds_total', "Seconds each remote system's inbound and outbound link spent in error, by its link history, up to the scrape while it is there still");
  // The registry collects its metrics at once: one read of the history serves both of a scrape.
  let reading: Promise<void> | null = null;
  function collect(): Promise<void> {
    reading ??= read().finally(() => {
      reading = null;
    });
    return reading;
  }
  async function read(): Promise<void> {
    const remotes = await sources.config.remoteSystems.find({});
    entries.reset();
    seconds.reset();
    await Promise.all(
      remotes.map(async (remote) => {
        const transitions = await sources.history.all(remote._id);
        for (const direction of ['inbound', 'outbound'] as const) {
          const periods = errorPeriods(transitions, direction, now());
          const labels = { remote_system: remote._id, name: remote.name, direction };
          entries.inc(labels, periods.entries);
          seconds.inc(labels, periods.seconds);
        }
      }),
    );
  }
}
