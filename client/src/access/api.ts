import type {
  ApiError,
  AuthStatus,
  CreateUserRequest,
  LoginRequest,
  MeResponse,
  MissionExportRequest,
  MissionExportResponse,
  MissionImportRequest,
  MissionImportResponse,
  UpdateUserRequest,
  UserSummary,
  UsersResponse,
} from "../../../server/protocol";

/** A failed API call, worded for the UI; `code` is the server's stable code (or a local one). */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds, from Retry-After (429). */
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
    this.name = "ApiCallError";
  }
}

function isApiErrorBody(body: unknown): body is { error: ApiError } {
  if (typeof body !== "object" || body === null) return false;
  const e = (body as { error?: unknown }).error;
  return typeof e === "object" && e !== null && typeof (e as ApiError).code === "string";
}

async function errorOf(res: Response): Promise<ApiCallError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: the status says enough
  }
  const retry = Number(res.headers.get("retry-after"));
  const retryAfterS = Number.isFinite(retry) && retry > 0 ? retry : null;
  if (isApiErrorBody(body)) return new ApiCallError(res.status, body.error.code, body.error.message || `HTTP ${res.status}`, retryAfterS);
  return new ApiCallError(res.status, `http_${res.status}`, `HTTP ${res.status}`, retryAfterS);
}

export interface ApiOptions {
  fetchFn?: typeof fetch;
  /** A 401 from a call made while signed in: the session is gone. Not called for the login and me calls. */
  onUnauthorized?: () => void;
}

export type Api = ReturnType<typeof createApi>;

/** The REST calls the client makes, each throwing an ApiCallError with the server's code when refused. */
export function createApi({ fetchFn = (...args) => fetch(...args), onUnauthorized }: ApiOptions = {}) {
  /** Requests not yet answered: an answer may carry a renewed session cookie (an admin changing their own roles). */
  const inFlight = new Set<Promise<unknown>>();
  function call<T>(method: string, path: string, body?: unknown, opts: { guard?: boolean; empty?: boolean } = {}): Promise<T> {
    const request = send<T>(method, path, body, opts);
    const tracked = request.catch(() => undefined);
    inFlight.add(tracked);
    void tracked.then(() => inFlight.delete(tracked));
    return request;
  }
  async function send<T>(method: string, path: string, body: unknown, opts: { guard?: boolean; empty?: boolean }): Promise<T> {
    let res: Response;
    try {
      res = await fetchFn(path, {
        method,
        credentials: "same-origin",
        headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiCallError(0, "unreachable", "cannot reach the server");
    }
    if (!res.ok) {
      if (res.status === 401 && opts.guard !== false) onUnauthorized?.();
      throw await errorOf(res);
    }
    if (opts.empty || res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** A fetch that reports a 401 like the calls above: for code that fetches by itself (the config loader). */
  const guardedFetch: typeof fetch = async (input, init) => {
    const res = await fetchFn(input, { credentials: "same-origin", ...init });
    if (res.status === 401) onUnauthorized?.();
    return res;
  };

  return {
    guardedFetch,
    /** Resolves once every request made so far has its answer (whatever it was). */
    settled: async (): Promise<void> => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    status: () => call<AuthStatus>("GET", "/api/auth/status", undefined, { guard: false }),
    me: () => call<MeResponse>("GET", "/api/auth/me", undefined, { guard: false }),
    login: (req: LoginRequest) => call<MeResponse>("POST", "/api/auth/login", req, { guard: false }),
    logout: () => call<void>("POST", "/api/auth/logout", undefined, { guard: false, empty: true }),
    listUsers: async (): Promise<UserSummary[]> => (await call<UsersResponse>("GET", "/api/users")).users,
    createUser: (req: CreateUserRequest) => call<unknown>("POST", "/api/users", req),
    updateUser: (name: string, req: UpdateUserRequest) => call<unknown>("PATCH", `/api/users/${encodeURIComponent(name)}`, req),
    resetPassword: (name: string, password: string) =>
      call<unknown>("POST", `/api/users/${encodeURIComponent(name)}/password`, { password }, { empty: true }),
    importMission: (req: MissionImportRequest) => call<MissionImportResponse>("POST", "/api/missions/import", req),
    exportMission: (req: MissionExportRequest) => call<MissionExportResponse>("POST", "/api/missions/export", req),
  };
}

/** The login page's wording of a refused login. */
export function describeLoginError(error: unknown): string {
  if (!(error instanceof ApiCallError)) return "Sign-in failed.";
  if (error.status === 429 || error.code === "rate_limited") {
    const minutes = error.retryAfterS === null ? null : Math.max(1, Math.ceil(error.retryAfterS / 60));
    return minutes === null ? "Too many attempts — try again later." : `Too many attempts — try again in ${minutes} min.`;
  }
  if (error.code.includes("disabled")) return "This account is disabled. Ask an administrator.";
  if (error.status === 401 || error.code === "bad_credentials") return "Wrong name or password.";
  if (error.code === "unreachable") return "Cannot reach the server. Check the network and try again.";
  return `Sign-in failed: ${error.message}`;
}

/** Any other API error, in words for the admin panel. */
export function describeApiError(error: unknown): string {
  if (!(error instanceof ApiCallError)) return error instanceof Error ? error.message : String(error);
  if (error.status === 403) return `Not allowed: ${error.message}`;
  if (error.code === "unreachable") return "Cannot reach the server.";
  return error.message;
}
