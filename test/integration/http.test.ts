import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientConfig, HealthResponse, VehiclesResponse } from "../../server/protocol";
import type { RunningServer } from "../../server/main";
import { api, signIn, startTestServer, waitFor } from "../helpers/server";
import { RawUdpVehicle, flightEntries } from "../helpers/udp";

let server: RunningServer;
let vehicle: RawUdpVehicle;
let cookie: string;
const get = (p: string) => api(server, cookie, p);

beforeAll(async () => {
  server = await startTestServer({ tileUrl: "https://tiles.example/{z}/{x}/{y}.png", tileAttribution: "test tiles" });
  cookie = await signIn(server, ["observer"]);
  vehicle = new RawUdpVehicle(server.links[0]!.localAddress()!.port);
  // The first 60 s of the real flight: boot, GPS, home, arming, at 20x: about 2,000 packets a second, a fast
  // link rather than the kernel's queue, and heartbeats far enough apart in time to prove a vehicle.
  let n = 0;
  for (const e of flightEntries().slice(0, 6000)) {
    await vehicle.send(e.frame.bytes);
    if (++n % 100 === 0) await new Promise((r) => setTimeout(r, 50));
  }
});
afterAll(async () => {
  vehicle.close();
  await server.close();
});

describe("HTTP API", () => {
  it("GET /api/vehicles gives each vehicle's state in SI units", async () => {
    const body = await waitFor("vehicle with home", async () => {
      const r = (await (await get("/api/vehicles")).json()) as VehiclesResponse;
      return r.vehicles[0]?.home && r.vehicles[0].link.packetsReceived > 5000 ? r : undefined;
    });
    const v = body.vehicles[0]!;
    expect(v).toMatchObject({ sysid: 1, compid: 1, vehicleClass: "copter" });
    for (const field of ["lat", "lon", "altRelative", "altAmsl"] as const) expect(typeof v.position?.[field]).toBe("number");
    expect(v.position?.lat).toBeCloseTo(51.5074, 3);
    expect(typeof v.heading).toBe("number");
    expect(typeof v.groundSpeed).toBe("number");
    expect(typeof v.mode).toBe("string");
    expect(typeof v.armed).toBe("boolean");
    expect(v.battery.voltage).toBeGreaterThan(10);
    expect(v.link).toMatchObject({ state: "ok", links: ["link1"] });
    expect(v.link.heartbeatAgeMs).toBeGreaterThanOrEqual(0);
  });

  it("GET /api/health reports version, uptime and per-link counters", async () => {
    const res = await get("/api/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const h = (await res.json()) as HealthResponse;
    expect(h).toMatchObject({ status: "ok", vehicles: 1 });
    expect(h.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(h.links[0]).toMatchObject({ kind: "udpin", connection: "open", peers: 1 });
    expect(h.links[0]!.counters.frames).toBe(6000);
    expect(h.links[0]!.counters.bytesOut).toBeGreaterThan(0);
    // The event loop's delay, sampled by Node (a busy test machine may be late; the shape and sense are what count).
    expect(h.eventLoop).toHaveProperty("lastWindow");
    expect(h.eventLoop.current.p50Ms).toBeGreaterThan(0);
    expect(h.eventLoop.current.maxMs).toBeGreaterThanOrEqual(h.eventLoop.current.p99Ms);
    expect(h.eventLoop.current.p99Ms).toBeGreaterThanOrEqual(h.eventLoop.current.p50Ms);
    expect(h.frames).toEqual({ viewersBehind: 0, resyncs: 0 });
    expect(h.alertStore).toEqual({ waiting: 0, dropped: 0, eventsNotStored: 0 });
    expect(h.flightCatalogue).toEqual({ waiting: 0 });
    expect(h.cluster).toBeNull();
  });

  it("GET /api/config tells the client its tiles and timing", async () => {
    const c = (await (await get("/api/config")).json()) as ClientConfig;
    expect(c).toMatchObject({ tileUrl: "https://tiles.example/{z}/{x}/{y}.png", tileAttribution: "test tiles", tickMs: 100, lostAfterMs: 5000 });
  });

  it("answers bad requests with a 4xx and a reason", async () => {
    const unknown = await get("/api/nope");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: "not_found", message: "no such API route: GET /api/nope" } });
    const badQuery = await get("/api/vehicles?verbose=1");
    expect(badQuery.status).toBe(400);
    const body = (await badQuery.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toMatch(/verbose/);
  });

  it("asked the vehicle for its streams and sent it ground-station heartbeats", async () => {
    // What came back to the vehicle's socket: MAVLink 2 from 255/190.
    const fromGcs = vehicle.received.filter((b) => b[0] === 0xfd && b[5] === 255 && b[6] === 190);
    const msgids = fromGcs.map((b) => b[7]! | (b[8]! << 8) | (b[9]! << 16));
    expect(msgids).toContain(0); // HEARTBEAT
    expect(msgids).toContain(76); // COMMAND_LONG (SET_MESSAGE_INTERVAL / REQUEST_MESSAGE)
  });
});
