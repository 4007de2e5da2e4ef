import type { QueueHealth } from './queue-health';

/** Beside an item's status, a failing send in red: a stuck or retrying item is still "ready", which alone reads as fine. */
export function HealthBadge({ health }: { health: QueueHealth }) {
  if (health.kind !== 'stuck' && health.kind !== 'retrying') return null;
  return (
    <span className="badge state-error" data-health={health.kind} title={health.error}>
      {health.kind}
    </span>
  );
}
