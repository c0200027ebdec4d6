import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import type { BrowserContext } from "playwright-core";
import type { Config } from "../../server/config";
import { DEFAULT_ALERT_CONFIG } from "../../server/config";
import { startServer } from "../../server/main";
import type { RunningServer, ServerHooks } from "../../server/main";
import { mergeFrame } from "../../server/protocol";
import type { BatchedEvent, ClientToServerEvents, Role, ServerToClientEvents, VehicleState, WholeVehicleFrame } from "../../server/protocol";

export const FIXTURES = path.resolve(__dirname, "../fixtures");

export function testConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = overrides.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "dmc-test-"));
  return {
    filesDir: dataDir,
    links: ["udpin://127.0.0.1:0"],
    httpHost: "127.0.0.1",
    httpPort: 0,
    allowedHosts: [],
    trustProxy: [],
    dataDir,
    gcsSysid: 255,
    gcsCompid: 190,
    passive: false,
    tickMs: 100,
    lostAfterMs: 5000,
    maxVehicles: 256,
    tileUrl: null,
    tileAttribution: "",
    clientDir: path.resolve(__dirname, "../../dist/client"),
    logLevel: "silent",
    signingKeys: [],
    alerts: DEFAULT_ALERT_CONFIG,
    database: { kind: "sqlite" },
    redis: { kind: "none" },
    series: { kind: "sqlite" },
    seriesRate: 5,
    importMaxBytes: 4 * 1024 ** 3,
    footageMaxBytes: 64 * 1024 ** 3,
    retention: { nonEvidentialDays: 31, evidentialDays: 2557 },
    recoveryDays: 7,
    ...overrides,
  };
}

/** A server on ephemeral ports with its own data directory; no first admin from the environment. */
export async function startTestServer(overrides: Partial<Config> = {}, hooks: ServerHooks = {}): Promise<RunningServer> {
  const config = testConfig(overrides);
  return startServer(config, pino({ level: config.logLevel }), { env: {}, ...hooks });
}

/** Every test user's password (the policy wants 12+ characters, not the name). */
export const TEST_PASSWORD = "correct horse battery staple";

/** Adds a user straight to the server's store (as `npm run user -- add` does). */
export async function createUser(server: RunningServer, name: string, roles: Role[], password = TEST_PASSWORD): Promise<void> {
  const r = await server.users.create({ name, roles, password });
  if (!r.ok) throw new Error(`cannot create user ${name}: ${r.message}`);
}

/** Logs in over HTTP; returns the Cookie header value ("dmc_session=..."). */
export async function login(server: Pick<RunningServer, "httpPort">, name: string, password = TEST_PASSWORD): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${server.httpPort}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, password }),
  });
  if (res.status !== 200) throw new Error(`login of ${name} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get("set-cookie") ?? "";
  const m = /dmc_session=([^;]+)/.exec(setCookie);
  if (!m) throw new Error(`login of ${name} set no session cookie: ${setCookie}`);
  return `dmc_session=${m[1]}`;
}

/** Creates a user with these roles (named after them unless told) and logs them in; returns the cookie. */
export async function signIn(server: RunningServer, roles: Role[], name = roles.join("-")): Promise<string> {
  if (!await server.users.findByName(name)) await createUser(server, name, roles);
  return login(server, name);
}

/** fetch() against the server with a session cookie. */
export function api(server: Pick<RunningServer, "httpPort">, cookie: string | null, pathname: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (cookie) headers.set("cookie", cookie);
  if (typeof init.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
  return fetch(`http://127.0.0.1:${server.httpPort}${pathname}`, { ...init, headers });
}

/**
 * Signs a browser context in as a user with `role` (created on first use), by setting the session cookie, as
 * the login page would. For e2e tests that are not about the login page itself.
 */
export async function e2eLogin(context: BrowserContext, server: RunningServer, role: Role): Promise<void> {
  const cookie = await signIn(server, [role], `e2e-${role}`);
  const value = cookie.slice("dmc_session=".length);
  await context.addCookies([{
    name: "dmc_session", value, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Strict", secure: false,
  }]);
}

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type BatchedOf<K extends BatchedEvent["kind"]> = Extract<BatchedEvent, { kind: K }>;
/** What an event of a kind carries: the alert of an "alert", the event of the others. */
type BatchedPayload<K extends BatchedEvent["kind"]> = BatchedOf<K> extends { alert: infer A } ? A : BatchedOf<K> extends { event: infer E } ? E : never;

/** Calls `listener` with each event of `kind` the live socket gets (they come batched in "vehicles:events"). */
export function onLiveEvent<K extends BatchedEvent["kind"]>(socket: LiveSocket, kind: K, listener: (payload: BatchedPayload<K>) => void): void {
  socket.on("vehicles:events", (events) => {
    for (const e of events) {
      if (e.kind !== kind) continue;
      listener((e.kind === "alert" ? e.alert : e.event) as BatchedPayload<K>);
    }
  });
}

/** A real Socket.IO client sending the session cookie (and the server's own Origin, as a browser would). */
export function openSocket(port: number, cookie: string | null): LiveSocket {
  const origin = `http://127.0.0.1:${port}`;
  return io(origin, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: cookie ? { cookie, origin } : { origin },
  });
}

/**
 * A real Socket.IO client that keeps every frame and the latest state of each vehicle. Frames carry only what
 * changed; they are kept here as the screen sees them after merging (each listed vehicle whole), as the store does.
 */
export async function connectClient(port: number, cookie: string): Promise<{ socket: LiveSocket; frames: WholeVehicleFrame[]; latest: Map<string, VehicleState> }> {
  const socket = openSocket(port, cookie);
  const frames: WholeVehicleFrame[] = [];
  const latest = new Map<string, VehicleState>();
  socket.on("vehicles:frame", (frame) => {
    const { vehicles, unusable } = mergeFrame(latest, frame);
    if (unusable.length > 0) throw new Error(`frame ${frame.seq}: a change to ${unusable.join(", ")}, a vehicle this client never had whole`);
    frames.push({ ...frame, vehicles });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("vehicles:snapshot", (snapshot) => {
      for (const v of snapshot.vehicles) latest.set(v.key, v);
      resolve();
    });
    socket.once("connect_error", reject);
  });
  return { socket, frames, latest };
}

export async function waitFor<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
