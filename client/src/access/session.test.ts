import { describe, expect, it } from "vitest";
import { createAppStore } from "../store";
import { createSession } from "./session";
import { FetchTestDouble, jsonResponse, LiveTestDouble } from "./testDoubles";

const admin = { name: "ada", roles: ["admin" as const] };

function setup(routes: ConstructorParameters<typeof FetchTestDouble>[0]) {
  const store = createAppStore();
  const http = new FetchTestDouble(routes);
  const live = new LiveTestDouble();
  let configLoads = 0;
  let configStops = 0;
  const session = createSession({
    store,
    startLive: live.start,
    fetchFn: http.fetch,
    loadConfig: () => {
      configLoads++;
      return () => configStops++;
    },
  });
  return { store, http, live, session, configs: () => ({ configLoads, configStops }) };
}

describe("session", () => {
  it("me answers: signed in, and only then the socket and the config load start", async () => {
    const { store, live, session, configs } = setup({ "GET /api/auth/me": () => jsonResponse(200, { user: admin }) });
    expect(live.started).toBe(0);
    await session.check();
    expect(store.getState().auth).toEqual({ status: "signed_in", user: admin, reason: null });
    expect(live.started).toBe(1);
    expect(configs().configLoads).toBe(1);
  });

  it("me answers 401: the login page, no socket", async () => {
    const { store, live, session } = setup({ "GET /api/auth/me": () => jsonResponse(401, { error: { code: "unauthenticated", message: "sign in" } }) });
    await session.check();
    expect(store.getState().auth).toEqual({ status: "signed_out", user: null, reason: null });
    expect(live.started).toBe(0);
  });

  it("session:ended: back to the login page with the reason, socket and config load stopped", async () => {
    const { store, live, session, configs } = setup({ "GET /api/auth/me": () => jsonResponse(200, { user: admin }) });
    await session.check();
    live.options?.onSessionEnded("user disabled");
    expect(store.getState().auth).toEqual({ status: "signed_out", user: null, reason: "user disabled" });
    expect(live.stopped).toBe(1);
    expect(configs().configStops).toBe(1);
  });

  it("a 401 from any API call while signed in ends the session", async () => {
    const { store, live, session } = setup({
      "GET /api/auth/me": () => jsonResponse(200, { user: admin }),
      "GET /api/users": () => jsonResponse(401, { error: { code: "unauthenticated", message: "sign in" } }),
    });
    await session.check();
    await expect(session.api.listUsers()).rejects.toThrow();
    expect(store.getState().auth.status).toBe("signed_out");
    expect(store.getState().auth.reason).toMatch(/signed out or expired/);
    expect(live.stopped).toBe(1);
  });

  it("login starts the session; a refused login says why and starts nothing", async () => {
    const { store, live, session } = setup({
      "POST /api/auth/login": (init) =>
        JSON.parse(String(init?.body)).password === "right"
          ? jsonResponse(200, { user: admin })
          : jsonResponse(401, { error: { code: "bad_credentials", message: "no" } }),
    });
    await expect(session.login("ada", "wrong")).resolves.toEqual({ ok: false, message: "Wrong name or password." });
    expect(live.started).toBe(0);
    await expect(session.login("ada", "right")).resolves.toEqual({ ok: true });
    expect(store.getState().auth.user).toEqual(admin);
    expect(live.started).toBe(1);
  });

  it("logout stops the socket and calls the server; requests afterwards fail without a socket", async () => {
    const { store, http, live, session } = setup({
      "GET /api/auth/me": () => jsonResponse(200, { user: admin }),
      "POST /api/auth/logout": () => jsonResponse(204, null),
    });
    await session.check();
    await expect(session.request("control:take", "1:1")).resolves.toEqual({ ok: true, value: null });
    await session.logout();
    expect(http.calls).toContain("POST /api/auth/logout");
    expect(live.stopped).toBe(1);
    expect(store.getState().auth).toEqual({ status: "signed_out", user: null, reason: null });
    await expect(session.request("control:take", "1:1")).resolves.toMatchObject({ ok: false, error: { code: "offline" } });
  });
});
