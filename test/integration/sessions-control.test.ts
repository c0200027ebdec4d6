/**
 * Sessions and vehicle control end to end: login rate limiting, idle expiry, a disabled user's socket dropped,
 * two pilots racing for one vehicle, the holder's command reaching a simulated ArduCopter, the audit chain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Frame } from "../../server/mavlink";
import type { RunningServer } from "../../server/main";
import type { CommandReply, Result, VehicleControl } from "../../server/protocol";
import type { SimFleet } from "../../sitl/sim/fleet";
import { TEST_PASSWORD, api, createUser, login, openSocket, startTestServer, waitFor } from "../helpers/server";
import type { LiveSocket } from "../helpers/server";
import { oneCopter } from "../helpers/sim";

function connected(cookie: string, server: RunningServer): Promise<LiveSocket> {
  const socket = openSocket(server.httpPort, cookie);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

describe("login rate limiting and idle sessions", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({}, {
      rateLimits: { windowMs: 60_000, perName: 3, perAddress: 50 },
      sessionLimits: { idleMs: 400, absoluteMs: 60_000 },
    });
    await createUser(server, "alice", ["observer"]);
  });
  afterAll(async () => server?.close());

  it("answers 429 with Retry-After after too many failures, even with the right password", async () => {
    const attempt = (password: string) => api(server, null, "/api/auth/login", { method: "POST", body: JSON.stringify({ name: "alice", password }) });
    for (let i = 0; i < 3; i++) expect((await attempt("wrong password here")).status).toBe(401);
    const limited = await attempt(TEST_PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect((await server.audit.list(10)).filter((e) => e.action === "login_failed").map((e) => e.result)).toContain("rate_limited");
  });

  it("ends a session left idle: 401", async () => {
    await createUser(server, "bob", ["observer"]);
    const cookie = await login(server, "bob");
    expect((await api(server, cookie, "/api/auth/me")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    const res = await api(server, cookie, "/api/auth/me");
    expect(res.status).toBe(401);
  });

  it("sets an HttpOnly, SameSite=Strict cookie, refuses malformed JSON with a reason, sends security headers", async () => {
    await createUser(server, "carol", ["observer"]);
    const res = await api(server, null, "/api/auth/login", { method: "POST", body: JSON.stringify({ name: "carol", password: TEST_PASSWORD }) });
    expect(res.headers.get("set-cookie")).toMatch(/^dmc_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(await res.json()).toEqual({ user: { name: "carol", roles: ["observer"] } });
    const bad = await api(server, null, "/api/auth/login", { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "bad_request", message: expect.stringMatching(/malformed JSON/) } });
    const big = await api(server, null, "/api/auth/login", { method: "POST", body: JSON.stringify({ name: "x".repeat(40_000), password: "y" }) });
    expect(big.status).toBe(413);
    const status = await api(server, null, "/api/auth/status");
    expect(await status.json()).toMatchObject({ hasAdmin: false, howToCreateAdmin: expect.stringMatching(/npm run user -- add NAME --role admin/) });
    expect(status.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    expect(status.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("control of a vehicle", () => {
  let server: RunningServer;
  let fleet: SimFleet;
  let toVehicle: Frame[] = [];
  const sockets: LiveSocket[] = [];
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    const copter = oneCopter();
    fleet = copter.fleet;
    toVehicle = copter.toVehicle;
    const { links } = await fleet.start();
    server = await startTestServer({ links });
    await createUser(server, "root", ["admin"]);
    await createUser(server, "p1", ["pilot"]);
    await createUser(server, "p2", ["pilot"]);
    for (const name of ["root", "p1", "p2"]) cookies[name] = await login(server, name);
    await waitFor("vehicle 1:1", () => server.registry.get("1:1", Date.now()), 15_000);
  }, 30_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.close();
    await fleet?.stop();
  });

  async function as(name: string): Promise<LiveSocket> {
    const s = await connected(cookies[name]!, server);
    sockets.push(s);
    return s;
  }
  const take = (s: LiveSocket) => new Promise<Result<VehicleControl>>((resolve) => s.emit("control:take", { key: "1:1" }, resolve));
  /** A harmless command: DO_CHANGE_SPEED to 5 m/s, accepted by ArduCopter on the ground. */
  const changeSpeed = (s: LiveSocket) => new Promise<Result<CommandReply>>((resolve) =>
    s.emit("vehicle:command", { key: "1:1", command: { kind: "speed", mps: 5 } }, resolve));

  it("two pilots taking at once: exactly one wins; the loser's command is refused and audited", async () => {
    const [a, b] = [await as("p1"), await as("p2")];
    const states: Record<string, VehicleControl>[] = [];
    a.on("control:state", (s) => states.push(s));
    const results = await Promise.all([take(a), take(b)]);
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const loserIndex = results.findIndex((r) => !r.ok);
    const winner = loserIndex === 0 ? "p2" : "p1";
    const loser = loserIndex === 0 ? a : b;
    expect(results[loserIndex]).toEqual({ ok: false, error: { code: "held", message: `held by ${winner}` } });
    await waitFor("control:state", () => states.find((s) => s["1:1"]?.holder === winner));

    const refused = await changeSpeed(loser);
    expect(refused).toMatchObject({ ok: false, error: { code: "not_holder" } });
    const entry = (await server.audit.list(20)).find((e) => e.action === "command_refused");
    expect(entry).toMatchObject({ actor: winner === "p1" ? "p2" : "p1", target: "1:1", result: "not_holder" });

    // The holder's command reaches the vehicle: COMMAND_LONG (76) MAV_CMD_DO_CHANGE_SPEED (178), 5 m/s in param2,
    // and the answer is the vehicle's ack, in words.
    const holder = loserIndex === 0 ? b : a;
    const before = toVehicle.length;
    expect(await changeSpeed(holder)).toMatchObject({ ok: true, value: { result: "accepted", text: "Accepted by the vehicle", attempts: 1 } });
    expect(toVehicle.slice(before).find((f) => {
      if (f.msgid !== 76) return false;
      const p = Buffer.alloc(33);
      f.payload.copy(p);
      return p.readUInt16LE(28) === 178 && p.readFloatLE(4) === 5;
    })).toBeDefined();
    const audited = await server.audit.list(20);
    expect(audited.find((e) => e.action === "command")).toMatchObject({ actor: winner, target: "1:1", result: "sent" });
    expect(audited.find((e) => e.action === "command_result")).toMatchObject({ actor: winner, target: "1:1", result: "accepted" });
  });

  it("a new snapshot carries who holds control; a reload keeps it; an admin override is recorded", async () => {
    const holder = server.control.holderOf("1:1")!;
    const s = openSocket(server.httpPort, cookies[holder]!);
    sockets.push(s);
    const snapshot = await new Promise<Record<string, VehicleControl> | undefined>((resolve) => s.once("vehicles:snapshot", (snap) => resolve(snap.control)));
    expect(snapshot?.["1:1"]?.holder).toBe(holder);
    const admin = await as("root");
    const r = await new Promise<Result<VehicleControl>>((resolve) => admin.emit("control:override", { key: "1:1" }, resolve));
    // root is no pilot: the override frees the vehicle for a pilot rather than holding it.
    expect(r).toEqual({ ok: true, value: { holder: null, since: null } });
    expect((await server.audit.list(5)).find((e) => e.action === "control_overridden")).toMatchObject({ actor: "root", target: "1:1", result: "released" });
    expect(JSON.parse((await server.audit.list(5)).find((e) => e.action === "control_overridden")!.detail)).toEqual({ previousHolder: holder });
  });

  it("disabling a pilot drops their open socket at once (session:ended, then disconnect) and releases their control", async () => {
    // p2 takes the vehicle back from nobody: the admin override above freed it.
    const rootOut = await api(server, cookies["root"]!, "/api/auth/logout", { method: "POST" });
    expect(rootOut.status).toBe(204);
    expect(server.control.holderOf("1:1")).toBeNull();
    cookies["root"] = await login(server, "root");
    const p2 = await as("p2");
    expect(await take(p2)).toMatchObject({ ok: true });
    const ended = new Promise<string>((resolve) => p2.once("session:ended", resolve));
    const gone = new Promise<string>((resolve) => p2.once("disconnect", resolve));
    const res = await api(server, cookies["root"]!, "/api/users/p2", { method: "PATCH", body: JSON.stringify({ disabled: true }) });
    expect(res.status).toBe(200);
    expect(await ended).toMatch(/disabled/);
    expect(await gone).toBe("io server disconnect");
    expect(server.control.holderOf("1:1")).toBeNull();
    expect((await api(server, cookies["p2"]!, "/api/auth/me")).status).toBe(401);
    expect((await server.audit.list(10)).find((e) => e.action === "user_disabled")).toMatchObject({ actor: "root", target: "p2", address: expect.stringMatching(/127\.0\.0\.1/) });
  });

  it("leaves an audit chain that verifies", async () => {
    const v = await server.audit.verify();
    expect(v.ok).toBe(true);
    const actions = new Set((await server.audit.list(200)).map((e) => e.action));
    for (const a of ["login", "logout", "control_taken", "control_released", "control_overridden", "command", "command_refused", "user_disabled"]) {
      expect(actions, a).toContain(a);
    }
  });
});
