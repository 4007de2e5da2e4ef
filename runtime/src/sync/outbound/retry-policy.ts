export interface RetryPolicy {
  /** Delay before an item's first retry after a connection failure; each further one doubles it. */
  baseDelayMs: number;
  /**
   * The longest wait between two attempts of one item: items keep retrying
   * while their link is failing, and the remote system goes to error by the
   * link's health (LinkHealth), not by any one item's count.
   */
  maxDelayMs: number;
}

/** Exponential backoff, capped, with jitter in the upper half, so many items of a down peer do not retry in lockstep. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
