/**
 * What the server shows at its edges: bodies read only after the session check, the session cookie behind a
 * TLS proxy, the public health check for monitors, and the recording-failed alert's wording.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import pino from "pino";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Healthz } from "../../server/http";
import type { RunningServer } from "../../server/main";
import type { Alert } from "../../server/protocol";
import { TEST_PASSWORD, api, createUser, openSocket, signIn, startTestServer, waitFor, onLiveEvent } from "../helpers/server";
import { SimFleet } from "../../sitl/sim/fleet";

let server: RunningServer;
let proxied: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
  proxied = await startTestServer({ trustProxy: ["loopback"], allowedHosts: ["mc.unit.example"] });
});
afterAll(async () => {
  await server?.close();
  await proxied?.close();
});

/**
 * POSTs a JSON body announced as `length` bytes but sends only `sent` of them: a server that reads the body
 * before answering never answers.
 */
function postPartial(port: number, pathname: string, cookie: string | null, length: number, sent: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1", port, path: pathname, method: "POST",
      headers: { "content-type": "application/json", "content-length": String(length), ...(cookie ? { cookie } : {}) },
    }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on("error", reject);
    req.setTimeout(3000, () => {
      req.destroy();
      reject(new Error("no answer: the server is waiting for the body"));
    });
    req.write(`{"fileName":"x.plan","text":"${"x".repeat(sent - 30)}`);
  });
}

describe("request bodies", () => {
  it("an unauthenticated 2 MB body on /api/missions/* gets 401 without being read", async () => {
    for (const route of ["/api/missions/import", "/api/missions/export"]) {
      const r = await postPartial(server.httpPort, route, null, 2_000_000, 64 * 1024);
      expect(r.status, route).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: "unauthenticated" } });
    }
    // Nor is a whole one parsed: malformed JSON from a stranger is a 401, not a 400 about its JSON.
    const malformed = await api(server, null, "/api/missions/import", { method: "POST", body: `{${"x".repeat(2_000_000)}` });
    expect(malformed.status).toBe(401);
  });

  it("a signed-in user without the route's role gets 403 unread; a pilot's bodies are read, with the route's limit", async () => {
    const observer = await signIn(server, ["observer"]);
    expect((await postPartial(server.httpPort, "/api/missions/import", observer, 2_000_000, 64 * 1024)).status).toBe(403);
    const pilot = await signIn(server, ["pilot"]);
    const malformed = await api(server, pilot, "/api/missions/import", { method: "POST", body: `{${"x".repeat(100_000)}` });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: "bad_request", message: expect.stringMatching(/^malformed JSON body/) } });
    const big = await api(server, pilot, "/api/missions/export", { method: "POST", body: JSON.stringify({ format: "plan", name: "x".repeat(2_100_000) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: { code: "too_large", message: "request body larger than 2mb" } });
    // Other routes keep the small limit.
    const login = await api(server, null, "/api/auth/login", { method: "POST", body: JSON.stringify({ name: "x".repeat(20_000), password: "y" }) });
    expect(login.status).toBe(413);
    expect(await login.json()).toEqual({ error: { code: "too_large", message: "request body larger than 16kb" } });
  });
});

describe("behind a TLS reverse proxy (--trust-proxy)", () => {
  const login = (s: RunningServer, headers: Record<string, string>) => api(s, null, "/api/auth/login", {
    method: "POST", body: JSON.stringify({ name: "pia", password: TEST_PASSWORD }), headers,
  });
  const viaTls = { "x-forwarded-proto": "https", "x-forwarded-host": "mc.unit.example", "x-forwarded-for": "198.51.100.7" };

  it("the session cookie is Secure when the trusted proxy says https, and only then", async () => {
    await createUser(proxied, "pia", ["pilot"]);
    await createUser(server, "pia", ["pilot"]);
    expect((await login(proxied, viaTls)).headers.get("set-cookie")).toMatch(/; Secure$/);
    expect((await login(proxied, {})).headers.get("set-cookie")).not.toMatch(/Secure/);
    // A server not told to trust a proxy believes no X-Forwarded-Proto.
    expect((await login(server, viaTls)).headers.get("set-cookie")).not.toMatch(/Secure/);
    // The address in the audit log is the browser's, as the proxy reports it.
    expect((await proxied.audit.list(5)).filter((e) => e.action === "login").map((e) => e.address)).toEqual(["127.0.0.1", "198.51.100.7"]);
  });

  it("the WebSocket origin check uses the proxy's X-Forwarded-Host and -Proto", async () => {
    const cookie = /dmc_session=[^;]+/.exec((await login(proxied, viaTls)).headers.get("set-cookie") ?? "")![0];
    const handshake = (s: RunningServer, origin: string) => new Promise<string>((resolve) => {
      const socket = io(`http://127.0.0.1:${s.httpPort}`, {
        transports: ["websocket"], reconnection: false, extraHeaders: { origin, cookie, ...viaTls },
      });
      socket.on("vehicles:snapshot", () => {
        socket.close();
        resolve("connected");
      });
      socket.on("connect_error", (err) => {
        socket.close();
        resolve(err.message);
      });
    });
    expect(await handshake(proxied, "https://mc.unit.example")).toBe("connected");
    expect(await handshake(proxied, "http://mc.unit.example")).not.toBe("connected");
    expect(await handshake(proxied, "https://evil.example")).not.toBe("connected");
  });
});

describe("GET /healthz", () => {
  it("answers without a session: up, version, data directory writable, links up as counts only", async () => {
    const res = await api(server, null, "/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    expect(JSON.parse(text) as Healthz).toEqual({
      status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/), dataDirWritable: true, links: { configured: 1, up: 1 },
    });
    for (const secret of ["udpin", "127.0.0.1", path.dirname(server.db.name)]) expect(text).not.toContain(secret);
  });
});

describe("the recording-failed alert", () => {
  it("says \"Flight recording:\" once", async () => {
    // Packets outside flights reach the link's session log once the (shortened) pre-roll has passed.
    const recording = await startTestServer({}, { recorder: { preRollMs: 100 } });
    const fleet = new SimFleet({
      vehicles: [{ sysid: 1, home: { lat: 51.5074, lon: -0.1278, altAmsl: 10 } }],
      transport: { kind: "udp", target: `127.0.0.1:${recording.links[0]!.localAddress()!.port}` },
      bootTimeScale: 0.1,
      logger: pino({ level: "silent" }),
    });
    const socket = openSocket(recording.httpPort, await signIn(recording, ["observer"]));
    const alerts: Alert[] = [];
    onLiveEvent(socket, "alert", (a) => alerts.push(a));
    try {
      // Where the session logs go is now a file: the recorder cannot write them.
      const sessions = path.join(path.dirname(recording.db.name), "sessions");
      fs.rmSync(sessions, { recursive: true, force: true });
      fs.writeFileSync(sessions, "in the way");
      await fleet.start();
      const alert = await waitFor("the recording alert", () => alerts.find((a) => a.rule === "recording_failed"), 20_000);
      expect(alert.text).toMatch(/^Flight recording: the data directory cannot be written/);
      expect(alert.text).not.toMatch(/Flight recording: Flight recording/);
    } finally {
      socket.close();
      await fleet.stop();
      await recording.close();
    }
  }, 40_000);
});
