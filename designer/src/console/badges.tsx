/** A state as a coloured badge: remote systems' inbound and outbound states, queue items' statuses, runs' statuses. */
export function StateBadge({ state, label }: { state: string; label?: string }) {
  return (
    <span className={`badge state-${state}`} data-state={state}>
      {label !== undefined && `${label} `}
      {state}
    </span>
  );
}
