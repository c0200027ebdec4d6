import { useEffect, useState } from "react";
import type { FlightChartsResponse } from "../../../../../server/protocol";

/** The server's error message (it names the flight and the reason), else the status. */
function problemOf(status: number, body: unknown): Error {
  const error = typeof body === "object" && body !== null ? (body as { error?: { message?: unknown } }).error : undefined;
  return new Error(typeof error?.message === "string" && error.message !== "" ? error.message : `HTTP ${status}`);
}

export interface FlightChartsState {
  /** Charts by flight id, as they arrive. */
  charts: ReadonlyMap<number, FlightChartsResponse>;
  /** Why a flight has no charts ("flight 12: the .tlog of flight 12 no longer has the SHA-256 ..."). */
  problems: string[];
  loading: boolean;
}

/** One flight's charts: its .tlog read on the server (kept there after the first read). */
export async function fetchFlightCharts(fetchFn: typeof fetch, id: number, signal: AbortSignal): Promise<FlightChartsResponse> {
  let res: Response;
  try {
    res = await fetchFn(`/api/flights/${id}/charts`, { credentials: "same-origin", headers: { accept: "application/json" }, signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new Error("cannot reach the server");
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: the status says enough
  }
  if (!res.ok) throw problemOf(res.status, body);
  return body as FlightChartsResponse;
}

const EMPTY: FlightChartsState = { charts: new Map(), problems: [], loading: false };

/** Fetches the charts of each flight of the session, once per set of flights. */
export function useFlightCharts(ids: readonly number[], fetchFn: typeof fetch): FlightChartsState {
  const [state, setState] = useState<FlightChartsState>(EMPTY);
  const key = ids.join(",");
  useEffect(() => {
    const wanted = key === "" ? [] : key.split(",").map(Number);
    const abort = new AbortController();
    let pending = wanted.length;
    setState({ charts: new Map(), problems: [], loading: pending > 0 });
    for (const id of wanted) {
      fetchFlightCharts(fetchFn, id, abort.signal).then(
        (charts) => setState((s) => ({ ...s, charts: new Map(s.charts).set(id, charts), loading: --pending > 0 })),
        (err: unknown) => {
          if (abort.signal.aborted) return;
          setState((s) => ({ ...s, problems: [...s.problems, `flight ${id}: ${(err as Error).message}`], loading: --pending > 0 }));
        },
      );
    }
    return () => abort.abort();
  }, [key, fetchFn]);
  return state;
}
