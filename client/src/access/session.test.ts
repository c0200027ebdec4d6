import { describe, expect, it, vi } from "vitest";
import { createAppStore } from "../store";
import { createSession } from "./session";
import { FetchTestDouble, jsonResponse, LiveTestDouble } from "../test/access";

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

  it("session:ended and no session left on the server: back to the login page with the reason, socket and config load stopped", async () => {
    let signedIn = true;
    const { store, live, session, configs } = setup({
      "GET /api/auth/me": () => signedIn ? jsonResponse(200, { user: admin }) : jsonResponse(401, { error: { code: "unauthenticated", message: "sign in" } }),
    });
    await session.check();
    signedIn = false;
    live.options?.onSessionEnded("user disabled");
    await vi.waitFor(() => expect(store.getState().auth).toEqual({ status: "signed_out", user: null, reason: "user disabled" }));
    expect(live.stopped).toBe(1);
    expect(configs().configStops).toBe(1);
  });

  it("session:ended after changing one's own roles: carries on with the renewed session and the new roles", async () => {
    // The server ends the old session (the socket hears it) before its answer to the PATCH brings the renewed
    // cookie: until that answer, /api/auth/me would refuse this browser.
    let renewed = false;
    let answerPatch: () => void = () => undefined;
    const store = createAppStore();
    const live = new LiveTestDouble();
    const fetchFn: typeof fetch = async (input, init) => {
      const key = `${init?.method ?? "GET"} ${String(input)}`;
      if (key === "PATCH /api/users/ada") {
        await new Promise<void>((resolve) => { answerPatch = resolve; });
        renewed = true;
        return jsonResponse(200, { name: "ada", roles: ["admin", "pilot"] });
      }
      if (key === "GET /api/auth/me") {
        return renewed || live.started === 0 ? jsonResponse(200, { user: { name: "ada", roles: renewed ? ["admin", "pilot"] : ["admin"] } })
          : jsonResponse(401, { error: { code: "unauthenticated", message: "sign in" } });
      }
      return jsonResponse(404, { error: { code: "not_found", message: "no such route" } });
    };
    const session = createSession({ store, startLive: live.start, fetchFn, loadConfig: () => () => undefined });
    await session.check();
    const patching = session.api.updateUser("ada", { roles: ["admin", "pilot"] });
    live.options?.onSessionEnded("your roles changed");
    await vi.waitFor(() => expect(live.stopped).toBe(1));
    expect(store.getState().auth.status).toBe("signed_in");
    answerPatch();
    await patching;
    await vi.waitFor(() => expect(store.getState().auth.user).toEqual({ name: "ada", roles: ["admin", "pilot"] }));
    expect(store.getState().auth.status).toBe("signed_in");
    expect(live.started).toBe(2);
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
