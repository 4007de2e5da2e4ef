import type { Clock } from './keyed-work.js';

/**
 * Renews a claim every third of its lease until the returned timer is
 * cleared, so work that takes longer than a lease keeps its item; one
 * renewal at a time. On a store whose writes wait their turn (FerretDB's few
 * at once), a renewal can take longer than a third of the lease: started on
 * every tick regardless, they piled up behind one another (a dozen writes an
 * item, seen under load), so the item's own writes waited longer still, its
 * steps ran past their timeout, and more renewals came due: the queue
 * stopped.
 */
export function renewedWhileHeld(renew: (leaseUntil: number) => Promise<void>, { leaseMs, now }: { leaseMs: number; now: Clock }, failed: (error: unknown) => void): NodeJS.Timeout {
  let renewing = false;
  const renewal = setInterval(() => {
    if (renewing) return;
    renewing = true;
    renew(now() + leaseMs)
      .catch(failed)
      .finally(() => {
        renewing = false;
      });
  }, leaseMs / 3);
  renewal.unref();
  return renewal;
}
