import { useEffect, useState } from 'react';

/** Loads something once for a page, with its failure as text. */
export function useLoaded<T>(load: () => Promise<T>): { value: T | null; error: string | null } {
  const [state, setState] = useState<{ value: T | null; error: string | null }>({ value: null, error: null });
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setState({ value, error: null }),
      (failure: Error) => current && setState({ value: null, error: failure.message }),
    );
    return () => {
      current = false;
    };
    // Pages are keyed by what they load, so loading once per mount is right.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return state;
}
