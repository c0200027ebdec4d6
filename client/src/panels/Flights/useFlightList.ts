import { useEffect, useState } from "react";
import type { FlightsPage, FlightsQuery } from "../../../../server/protocol";
import { describeApiError } from "../../access";
import type { FlightsApi } from "./api";
import { flightsUrl } from "./query";

export interface FlightListState {
  /** The last page received (kept while the next one loads, so the table does not flash). */
  page: FlightsPage | null;
  loading: boolean;
  error: string | null;
}

const isAbort = (err: unknown) => err instanceof DOMException && err.name === "AbortError";

/** GET /api/flights for the query, again whenever its URL or `refresh` changes; a newer query cancels an older one. */
export function useFlightList(api: FlightsApi, query: FlightsQuery, refresh: number): FlightListState {
  const [state, setState] = useState<FlightListState>({ page: null, loading: true, error: null });
  const url = flightsUrl(query);
  useEffect(() => {
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    api.list(query, abort.signal).then(
      (page) => {
        if (!abort.signal.aborted) setState({ page, loading: false, error: null });
      },
      (err: unknown) => {
        if (!abort.signal.aborted && !isAbort(err)) setState((s) => ({ ...s, loading: false, error: describeApiError(err) }));
      },
    );
    return () => abort.abort();
    // The URL stands for the query: a new query object with the same parameters is the same request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, url, refresh]);
  return state;
}
