import { useState } from 'react';

export interface Action {
  /** What is running, as given to `run`; null when nothing is. */
  busy: string | null;
  /** The last run's failure, shown until the next run starts. */
  error: unknown;
  /** Runs `work`, keeping what runs and how it failed; true when it succeeded. */
  run: (what: string, work: () => Promise<unknown>) => Promise<boolean>;
}

/** A button's work against the runtime: one at a time, its progress and its failure kept for the page to show. */
export function useAction(): Action {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (what: string, work: () => Promise<unknown>) => {
    setBusy(what);
    setError(null);
    try {
      await work();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, run };
}
