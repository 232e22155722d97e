// Fetch data for a view, keep the last good value while re-fetching, and re-fetch on live events.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLiveRefresh } from './live';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** A fetcher may show a first, partial value (`early`) before its full one resolves (e.g. a list before its details). */
export type Fetcher<T> = (early: (value: T) => void) => Promise<T>;

export function useResource<T>(fetcher: Fetcher<T>, deps: readonly unknown[], options: { live?: boolean } = {}): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  const reload = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    const early = (value: T) => {
      if (mine === seq.current) setData(value);
    };
    fetcherRef.current(early).then(
      (value) => {
        if (mine !== seq.current) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        setError(err);
        setLoading(false);
      },
    );
  }, []);

  useEffect(
    () => {
      setData(undefined);
      reload();
    },
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to re-fetch (the fetcher is read through a ref)
    deps,
  );

  useLiveRefresh(() => {
    if (options.live !== false) reload();
  });

  return { data, error, loading, reload };
}
