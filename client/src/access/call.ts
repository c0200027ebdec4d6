import { ApiCallError } from "./api";

/** The server's {error:{code,message}} as is (its message is what the user reads), else the status alone. */
export function errorOf(status: number, body: unknown): ApiCallError {
  const error = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === "string") return new ApiCallError(status, code, typeof message === "string" && message ? message : `HTTP ${status}`);
  }
  return new ApiCallError(status, `http_${status}`, `HTTP ${status}`);
}

export interface CallInit {
  method?: string;
  /** A body sent as JSON. */
  json?: unknown;
  /** A body sent as is, with its content type. */
  raw?: { body: Blob; type: string };
  signal?: AbortSignal;
}

export type JsonCall = <T>(path: string, init?: CallInit) => Promise<T>;

/**
 * One JSON REST call with the session cookie: the parsed answer, or an ApiCallError carrying the server's code and
 * message ("unreachable" when the request never got an answer). An abort is rethrown as the AbortError it is.
 */
export function createCall(fetchFn: typeof fetch): JsonCall {
  return async <T>(path: string, init: CallInit = {}): Promise<T> => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (init.json !== undefined) headers["content-type"] = "application/json";
    if (init.raw) headers["content-type"] = init.raw.type;
    let res: Response;
    try {
      res = await fetchFn(path, {
        method: init.method ?? "GET", credentials: "same-origin", signal: init.signal, headers,
        body: init.raw ? init.raw.body : init.json === undefined ? undefined : JSON.stringify(init.json),
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") throw err;
      throw new ApiCallError(0, "unreachable", "cannot reach the server");
    }
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      // not JSON: the status says enough
    }
    if (!res.ok) throw errorOf(res.status, body);
    return body as T;
  };
}
