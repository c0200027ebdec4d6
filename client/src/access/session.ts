import type { AuthStatus, Result, SessionUser, VehicleKey } from "../../../server/protocol";
import { loadClientConfig, type AckOf, type ControlAction, type LiveCall, type PayloadOf } from "../connection";
import type { AppStore, LiveEvent } from "../store";
import { ApiCallError, createApi, describeLoginError, type Api, type ApiOptions } from "./api";

/** What a signed-in session runs: the live connection, and the channel its requests travel on. */
export interface LiveHandle {
  stop(): void;
  request(action: ControlAction, key: VehicleKey): Promise<Result<unknown>>;
  call: LiveCall;
}

export interface StartLiveOptions {
  apply: (events: readonly LiveEvent[]) => void;
  onSessionEnded: (reason: string) => void;
}

export interface SessionOptions {
  store: AppStore;
  /** Opens the live connection; called only once signed in (no socket before login). */
  startLive: (options: StartLiveOptions) => LiveHandle;
  fetchFn?: ApiOptions["fetchFn"];
  /** Loads /api/config; injected so tests need not serve it. */
  loadConfig?: (onConfig: Parameters<typeof loadClientConfig>[0], fetchFn: typeof fetch) => () => void;
}

export type LoginOutcome = { ok: true } | { ok: false; message: string };

export interface Session {
  readonly api: Api;
  /** On load: GET /api/auth/me decides between the map and the login page. */
  check(): Promise<void>;
  login(name: string, password: string): Promise<LoginOutcome>;
  logout(): Promise<void>;
  authStatus(): Promise<AuthStatus | null>;
  request(action: ControlAction, key: VehicleKey): Promise<Result<unknown>>;
  /** Any other request over the live socket (commands, missions, alerts), answered "offline" without one. */
  call: LiveCall;
}

const OFFLINE: Result<never> = { ok: false, error: { code: "offline", message: "not connected" } };

/**
 * The sign-in life cycle: nothing live runs before a login; a login starts the socket and the config
 * load; the end of the session (logout, "session:ended", any 401) stops both and returns to the login page.
 * "session:ended" first asks the server whether this browser still has a session: an admin who changes their own
 * roles gets a renewed one in that answer's cookie, and carries on with the new roles instead of being signed out.
 */
export function createSession({ store, startLive, fetchFn, loadConfig = (on, f) => loadClientConfig(on, 5000, f) }: SessionOptions): Session {
  let live: LiveHandle | null = null;
  let stopConfig: (() => void) | null = null;

  const stopAll = () => {
    live?.stop();
    live = null;
    stopConfig?.();
    stopConfig = null;
  };
  const end = (reason: string | null) => {
    const wasSignedIn = store.getState().auth.status === "signed_in";
    stopAll();
    if (wasSignedIn || reason === null) store.getState().signedOut(reason);
  };
  const api = createApi({ fetchFn, onUnauthorized: () => end("the server no longer accepts it (signed out or expired)") });

  const begin = (user: SessionUser) => {
    stopAll();
    store.getState().signedIn(user);
    live = startLive({ apply: store.getState().applyEvents, onSessionEnded: (reason) => void resume(reason) });
    stopConfig = loadConfig(store.getState().setConfig, api.guardedFetch);
  };
  /** The socket's session ended: continue on a renewed session if the server gave this browser one, else sign out. */
  const resume = async (reason: string) => {
    live?.stop();
    live = null;
    try {
      // The renewed cookie comes with the answer to the request that ended the old session: wait for it.
      await api.settled();
      const { user } = await api.me();
      if (store.getState().auth.status === "signed_in") begin(user);
    } catch {
      end(reason);
    }
  };

  return {
    api,
    async check() {
      store.getState().checkingAuth();
      try {
        begin((await api.me()).user);
      } catch (error) {
        store.getState().signedOut(error instanceof ApiCallError && error.code === "unreachable" ? "cannot reach the server" : null);
      }
    },
    async login(name, password) {
      try {
        begin((await api.login({ name, password })).user);
        return { ok: true };
      } catch (error) {
        return { ok: false, message: describeLoginError(error) };
      }
    },
    async logout() {
      stopAll();
      try {
        await api.logout();
      } catch {
        // signed out locally anyway; the cookie expires on the server
      }
      store.getState().signedOut(null);
    },
    async authStatus() {
      try {
        return await api.status();
      } catch {
        return null;
      }
    },
    request(action, key) {
      return live ? live.request(action, key) : Promise.resolve(OFFLINE);
    },
    call<E extends Parameters<LiveCall>[0]>(event: E, payload: PayloadOf<E>, timeoutMs?: number): Promise<AckOf<E>> {
      return live ? live.call(event, payload, timeoutMs) : Promise.resolve(OFFLINE as AckOf<E>);
    },
  };
}
