export interface RetryPolicy {
  /** Connection failures of one item before the remote system is marked in error. */
  attempts: number;
  /** Delay before the first retry; each further one doubles it. */
  baseDelayMs: number;
}

/** Exponential backoff with full jitter in the upper half, so many items of a down peer do not retry in lockstep. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
