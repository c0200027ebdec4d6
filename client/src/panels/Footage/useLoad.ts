import { useCallback, useEffect, useState } from "react";
import { describeApiError } from "../../access";

export interface Loaded<T> {
  value: T | null;
  error: string | null;
  reload(): void;
}

/** One GET, asked again on reload() or when `again` changes; the answer of a view that has gone away is dropped. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, again: unknown = null): Loaded<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    load(abort.signal).then(
      (v) => { if (!abort.signal.aborted) { setValue(v); setError(null); } },
      (err: unknown) => { if (!abort.signal.aborted) setError(describeApiError(err)); },
    );
    return () => abort.abort();
  }, [load, tick, again]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { value, error, reload };
}
