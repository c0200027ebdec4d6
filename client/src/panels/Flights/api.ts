import type { FlightMessagesResponse, FlightNote, FlightsPage, FlightsQuery, FlightSummary, FlightVerifyResponse } from "../../../../server/protocol";
import { ApiCallError } from "../../access";
import { flightsUrl } from "./query";

/** The server's {error:{code,message}}, else a code and words from the status alone. */
export function apiErrorOf(status: number, body: unknown): ApiCallError {
  const error = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === "string") return new ApiCallError(status, code, typeof message === "string" && message ? message : `HTTP ${status}`);
  }
  if (status === 413) return new ApiCallError(status, "too_large", "the file is larger than the server accepts");
  return new ApiCallError(status, `http_${status}`, `HTTP ${status}`);
}

export const unreachable = () => new ApiCallError(0, "unreachable", "cannot reach the server");

/** Tolerance of the preview track, metres (the server's default): keeps a hover's shape, drops GPS jitter. */
export const PREVIEW_TOLERANCE_M = 2;

export interface FlightsApi {
  list(query: FlightsQuery, signal?: AbortSignal): Promise<FlightsPage>;
  get(id: number, signal?: AbortSignal): Promise<FlightSummary>;
  /** GeoJSON as the server sends it (a Feature or a FeatureCollection): read it with trackLines. */
  track(id: number, signal?: AbortSignal): Promise<unknown>;
  /** The vehicle's messages (STATUSTEXT) kept with the flight, oldest first. */
  messages(id: number, signal?: AbortSignal): Promise<FlightMessagesResponse>;
  addNote(id: number, text: string): Promise<FlightNote>;
  /** Reads the flight's file in full on the server and compares it with its seal. */
  verify(id: number): Promise<FlightVerifyResponse>;
}

export const exportUrl = (id: number, format: string) => `/api/flights/${id}/export?format=${encodeURIComponent(format)}`;

/** The flight catalogue's REST calls; each throws an ApiCallError worded from the server's error. */
export function createFlightsApi(fetchFn: typeof fetch): FlightsApi {
  async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetchFn(path, { credentials: "same-origin", ...init, headers: { accept: "application/json", ...init.headers } });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") throw err;
      throw unreachable();
    }
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      // not JSON: the status says enough
    }
    if (!res.ok) throw apiErrorOf(res.status, body);
    return body as T;
  }
  return {
    list: (query, signal) => call<FlightsPage>(flightsUrl(query), { signal }),
    get: (id, signal) => call<FlightSummary>(`/api/flights/${id}`, { signal }),
    track: (id, signal) => call<unknown>(`/api/flights/${id}/track?tolerance=${PREVIEW_TOLERANCE_M}`, { signal }),
    messages: (id, signal) => call<FlightMessagesResponse>(`/api/flights/${id}/messages`, { signal }),
    addNote: (id, text) =>
      call<FlightNote>(`/api/flights/${id}/notes`, { method: "POST", body: JSON.stringify({ text }), headers: { "content-type": "application/json" } }),
    verify: (id) => call<FlightVerifyResponse>(`/api/flights/${id}/verify`, { method: "POST" }),
  };
}

/** Plain fetch with the session cookie: the default outside a session (the page normally uses the session's). */
export const sameOriginFetch: typeof fetch = (input, init) => fetch(input, { credentials: "same-origin", ...init });
