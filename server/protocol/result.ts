/** Acknowledgement shape of every request/response over Socket.IO and the error body of the REST API. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface ApiError {
  /** Stable, machine-readable code, e.g. "bad_request", "not_found". */
  code: string;
  message: string;
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: string, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}
