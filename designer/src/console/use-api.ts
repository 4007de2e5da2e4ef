import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  value: T | null;
  /** The last load's failure (an ApiProblem, or a network error); the last value stays shown beside it. */
  error: unknown;
  reload: () => void;
}

/**
 * Loads what a page shows, again whenever `key` changes, and `pollMs` after
 * each load settles when given, so queues and the dashboard follow the
 * runtime as it works. Polls never overlap, so a slow runtime still answers
 * each one; an answer that arrives after a newer load (a reload) started is
 * dropped, and one for another key is never shown.
 */
export function useApi<T>(load: () => Promise<T>, key: string, pollMs?: number): Loaded<T> {
  const [state, setState] = useState<{ key: string; value: T | null; error: unknown }>({ key, value: null, error: null });
  const latest = useRef(0);
  const loader = useRef(load);
  // Declared before the effect that loads, so that it runs first and the load uses this render's function.
  useEffect(() => {
    loader.current = load;
  });

  const loadFor = useCallback((forKey: string) => {
    const call = ++latest.current;
    return loader.current().then(
      (value) => call === latest.current && setState({ key: forKey, value, error: null }),
      (error: unknown) => call === latest.current && setState((current) => ({ key: forKey, value: current.key === forKey ? current.value : null, error })),
    );
  }, []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () =>
      void loadFor(key).then(() => {
        if (!stopped && pollMs !== undefined) timer = setTimeout(poll, pollMs);
      });
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [key, pollMs, loadFor]);

  const current = state.key === key ? state : { value: null, error: null };
  return { value: current.value, error: current.error, reload: () => void loadFor(key) };
}
