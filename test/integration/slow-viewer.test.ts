import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { decodeFrame } from "../../server/mavlink";
import { isWholeVehicle, mergeFrame, packTrail, unpackTrail } from "../../server/protocol";
import type { DetailFrame, PackedTrail, TrailsPart, SessionUser, StatusText, VehicleKey, VehiclePatch, VehicleState, WatchRequest, Result } from "../../server/protocol";
import { RealtimeServer, liveHandlers, toWire } from "../../server/realtime";
import type { CommandHandlers, LiveServices, LiveSource } from "../../server/realtime";
import { VehicleRegistry } from "../../server/vehicles";
import { tlogEntries } from "../support/alerts/replay";
import { openSocket, waitFor } from "../helpers/server";
import type { LiveSocket } from "../helpers/server";

const log = pino({ level: "silent" });
const VEHICLES = 150;

/** A real vehicle's state, from the first minute of a recorded ArduCopter flight. */
function realVehicle(): VehicleState {
  const registry = new VehicleRegistry({ lostAfterMs: 5000 });
  const entries = tlogEntries("copter_flight_1.tlog");
  const t0 = entries[0]!.timeMs;
  for (const { timeMs, frame } of entries) {
    if (timeMs - t0 > 60_000) break;
    registry.ingest(decodeFrame(frame), "tlog", frame.bytes.length, timeMs);
  }
  return registry.snapshot(t0 + 60_000)[0]!;
}

/**
 * The vehicles as the registry would hand them to the realtime server: each tick every vehicle moves and has a new
 * status text, so that frames are large and a screen that stops reading falls behind within a few ticks.
 */
class MovingFleet implements LiveSource {
  private readonly vehicles = new Map<VehicleKey, VehicleState>();
  private time = 1_700_000_000_000;
  /** How many times a vehicle's trail was read. */
  trailsBuilt = 0;
  /** `trailPoints`: each vehicle's trail, a zigzag every point of which is needed to draw it (none by default). */
  constructor(model: VehicleState, private readonly trailPoints = 0) {
    for (let sysid = 1; sysid <= VEHICLES; sysid++) {
      const key = `${sysid}:1` as VehicleKey;
      this.vehicles.set(key, { ...model, key, sysid });
    }
  }
  now(): number { return this.time; }
  snapshot(): VehicleState[] { return [...this.vehicles.values()]; }
  /** While set, time passes and nothing changes. */
  frozen = false;
  changed(): VehicleState[] {
    this.time += 100;
    if (this.frozen) return [];
    for (const [key, v] of this.vehicles) {
      const position = v.position ? { ...v.position, lat: v.position.lat + 1e-5 } : null;
      const text: StatusText = { severity: "info", text: `tick ${this.time}: ${"x".repeat(400)}`, time: this.time };
      this.vehicles.set(key, { ...v, position, lastUpdate: this.time, statusTexts: [...v.statusTexts.slice(-3), text] });
    }
    return this.snapshot();
  }
  links() { return []; }
  trailKeys(): VehicleKey[] { return this.trailPoints > 0 ? [...this.vehicles.keys()] : []; }
  trail(key: VehicleKey): PackedTrail | null {
    const v = this.vehicles.get(key);
    if (!v?.position) return null;
    this.trailsBuilt += 1;
    const n = this.trailPoints;
    const { lat, lon } = v.position;
    return packTrail({
      lat: Array.from({ length: n }, (_, i) => lat + i * 1e-4), lon: Array.from({ length: n }, (_, i) => lon + (i % 2) * 1e-4),
      alt: new Array<number>(n).fill(50), time: Array.from({ length: n }, (_, i) => this.time - (n - i) * 1000), length: n,
    });
  }
  control() { return {}; }
  missions() { return {}; }
  alerts() { return []; }
}

/** A screen: its copy of the fleet, merged from frames as the store does. */
function screen(socket: LiveSocket) {
  const held = new Map<string, VehicleState>();
  const seen = { frames: 0, full: 0, unusable: 0 };
  socket.on("vehicles:snapshot", (s) => { for (const v of s.vehicles) held.set(v.key, v); });
  socket.on("vehicles:frame", (f) => {
    seen.frames += 1;
    if (f.full) seen.full += 1;
    seen.unusable += mergeFrame(held, f).unusable.length;
  });
  return { held, seen };
}

const opened: { close(): Promise<void> | void }[] = [];
afterEach(async () => { for (const c of opened.splice(0).reverse()) await c.close(); });

describe("a screen that cannot keep up", () => {
  it("is skipped rather than queued, and is sent a full frame once it reads again; the others get changes only", async () => {
    const fleet = new MovingFleet(realVehicle());
    const httpServer = http.createServer();
    const user: SessionUser = { name: "room", roles: ["observer"] } as unknown as SessionUser;
    // No command is sent in this test: the handlers are never called.
    const rt = new RealtimeServer(httpServer, fleet, { tickMs: 100, refusal: () => null, refreshEveryMs: 3_600_000 }, {
      authenticate: () => Promise.resolve({ user, sessionHash: "h" }), isLive: () => Promise.resolve(true), ended: () => {},
    }, {} as CommandHandlers, log);
    await new Promise<void>((r) => httpServer.listen(0, "127.0.0.1", r));
    opened.push({ close: () => rt.close() });
    const port = (httpServer.address() as AddressInfo).port;
    const sockets = [openSocket(port, "dmc_session=x"), openSocket(port, "dmc_session=y")];
    for (const s of sockets) opened.push({ close: () => { s.close(); } });
    const [fast, slow] = sockets.map(screen) as [ReturnType<typeof screen>, ReturnType<typeof screen>];
    await waitFor("both screens", () => sockets.every((s) => s.connected) && fast.held.size === VEHICLES && slow.held.size === VEHICLES);

    // The slow screen stops reading its TCP socket, as a frozen tab or a saturated link would.
    const tcp = (sockets[1]!.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws._socket;
    tcp.pause();
    let mostQueued = 0;
    const queuedOnServer = () => Math.max(0, ...[...rt.io.sockets.sockets.values()]
      .map((s) => (s.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length));
    await waitFor("the slow screen to fall behind", async () => {
      rt.tick();
      mostQueued = Math.max(mostQueued, queuedOnServer());
      await new Promise((r) => setTimeout(r, 5));
      return rt.frameStats().viewersBehind >= 1;
    }, 60_000);
    for (let i = 0; i < 50; i++) {
      rt.tick();
      mostQueued = Math.max(mostQueued, queuedOnServer());
      await new Promise((r) => setTimeout(r, 5));
    }
    // Skipped, not queued: one frame waits at most, however long the screen stays away.
    expect(mostQueued).toBeLessThanOrEqual(1);
    const fastFramesWhileSlow = fast.seen.frames;

    tcp.resume();
    await waitFor("the slow screen's full frame", async () => {
      rt.tick();
      await new Promise((r) => setTimeout(r, 20));
      return slow.seen.full >= 1;
    }, 30_000);
    // Both hold the fleet as it is now, at the precision screens are sent (the link counters up to a second late).
    // Neither watches a vehicle: their detail fields are as of the snapshot or the full frame, and not compared.
    const notDetail = { link: undefined, attitude: undefined, airSpeed: undefined, lastUpdate: undefined };
    const truth = fleet.snapshot().map((v) => ({ ...toWire(v), ...notDetail }));
    const copy = (held: Map<string, VehicleState>, key: string) => JSON.stringify({ ...held.get(key), ...notDetail });
    await waitFor("both screens to hold the fleet as it is", () => truth.every((v) =>
      copy(fast.held, v.key) === JSON.stringify(v) && copy(slow.held, v.key) === JSON.stringify(v)));
    expect(rt.frameStats()).toMatchObject({ viewersBehind: 1, resyncs: 1 });
    // The fast screen got every frame of changes, and no full frame: a screen that keeps up never gets the fleet whole.
    expect(fast.seen.full).toBe(0);
    expect(fastFramesWhileSlow).toBeGreaterThan(50);
    expect(fast.seen.unusable + slow.seen.unusable).toBe(0);
    expect(slow.seen.frames).toBeLessThan(fast.seen.frames);
  }, 120_000);

  it("screens that connect together share one snapshot and trails, built once, and each has the snapshot before any frame", async () => {
    // 150 trails of 100 points: 60,000 packed numbers, more than one part.
    const fleet = new MovingFleet(realVehicle(), 100);
    let built = 0;
    // Read once per snapshot (welcome), whatever the number of screens it goes to.
    const keys = fleet.trailKeys.bind(fleet);
    fleet.trailKeys = () => { built += 1; return keys(); };
    const httpServer = http.createServer();
    const user: SessionUser = { name: "room", roles: ["observer"] } as unknown as SessionUser;
    // A server restart: every screen of a control room reconnects at once, while frames keep going out. "At once" is
    // made exact: every screen's session check is held until all of them have asked, then all are let in together
    // (on a loaded machine the handshakes would otherwise spread over several ticks, and so over several batches).
    const SCREENS = 20;
    const held: (() => void)[] = [];
    const authenticate = () => new Promise<{ user: SessionUser; sessionHash: string }>((resolve) => {
      held.push(() => resolve({ user, sessionHash: "h" }));
      if (held.length === SCREENS) for (const admit of held) admit();
    });
    const rt = new RealtimeServer(httpServer, fleet, { tickMs: 100, refusal: () => null }, {
      authenticate, isLive: () => Promise.resolve(true), ended: () => {},
    }, {} as CommandHandlers, log);
    await new Promise<void>((r) => httpServer.listen(0, "127.0.0.1", r));
    opened.push({ close: () => rt.close() });
    const port = (httpServer.address() as AddressInfo).port;
    const sockets = Array.from({ length: SCREENS }, () => openSocket(port, "dmc_session=x"));
    for (const s of sockets) opened.push({ close: () => { s.close(); } });
    const trails = sockets.map(() => new Map<string, number>());
    const partSizes: number[] = [];
    const order = sockets.map((s, i) => {
      const events: string[] = [];
      s.on("vehicles:snapshot", () => events.push("snapshot"));
      s.on("vehicles:frame", () => events.push("frame"));
      s.on("vehicles:trails", (part: TrailsPart) => {
        events.push(part.last ? "last trails" : "trails");
        partSizes.push(Object.values(part.trails).reduce((n, t) => n + t.length, 0));
        for (const [key, packed] of Object.entries(part.trails)) trails[i]!.set(key, unpackTrail(packed).length);
      });
      return events;
    });
    await waitFor("every screen's snapshot, trails and frames after them", async () => {
      rt.tick();
      await new Promise((r) => setTimeout(r, 10));
      return order.every((events) => events.includes("last trails") && events.filter((e) => e === "frame").length >= 2);
    }, 30_000);
    for (const [i, events] of order.entries()) {
      expect(events[0]).toBe("snapshot");
      expect(events.filter((e) => e === "snapshot")).toHaveLength(1);
      // In parts, after the snapshot, the last one last.
      expect(events.filter((e) => e === "trails").length).toBeGreaterThan(0);
      expect(events.filter((e) => e === "last trails")).toHaveLength(1);
      expect(events.findLastIndex((e) => e === "trails")).toBeLessThan(events.indexOf("last trails"));
      expect(trails[i]!.size).toBe(VEHICLES);
      expect([...trails[i]!.values()].every((n) => n === 100)).toBe(true);
    }
    // Built once for the screens that arrived together, not once per screen.
    expect(built).toBe(1);
    expect(fleet.trailsBuilt).toBe(VEHICLES);
    // Each part stops taking trails at 40,000 packed numbers (at most one trail over it).
    expect(Math.max(...partSizes)).toBeLessThanOrEqual(40_000 + 400);
    // A snapshot still being written when the first frame goes out does not make its screen "behind" (before this
    // was so, every screen of a reconnecting room was skipped once and then sent a full frame on top of its snapshot).
    expect(rt.frameStats()).toEqual({ viewersBehind: 0, resyncs: 0 });
  }, 60_000);

  it("a screen watching vehicles gets their detail each tick they change, and at once when it starts; others get none", async () => {
    const fleet = new MovingFleet(realVehicle());
    const httpServer = http.createServer();
    const user: SessionUser = { name: "room", roles: ["observer"] } as unknown as SessionUser;
    // The real handler of "vehicles:watch" (it uses no service); no other event is sent.
    const handlers = liveHandlers({} as LiveServices);
    const rt = new RealtimeServer(httpServer, fleet, { tickMs: 100, refusal: () => null }, {
      authenticate: () => Promise.resolve({ user, sessionHash: "h" }), isLive: () => Promise.resolve(true), ended: () => {},
    }, handlers, log);
    await new Promise<void>((r) => httpServer.listen(0, "127.0.0.1", r));
    opened.push({ close: () => rt.close() });
    const port = (httpServer.address() as AddressInfo).port;
    const [watcher, other] = [openSocket(port, "dmc_session=x"), openSocket(port, "dmc_session=y")] as const;
    for (const s of [watcher, other]) opened.push({ close: () => { s.close(); } });
    const details: DetailFrame[][] = [[], []];
    watcher.on("vehicles:detail", (f) => details[0]!.push(f));
    other.on("vehicles:detail", (f) => details[1]!.push(f));
    const frames: VehiclePatch[][] = [];
    watcher.on("vehicles:frame", (f) => frames.push(f.vehicles));
    await waitFor("both screens", () => watcher.connected && other.connected);
    const watch = (keys: unknown) => new Promise<Result<WatchRequest>>((resolve) => watcher.emit("vehicles:watch", { keys } as WatchRequest, resolve));

    expect(await watch(["3:1", "3:1", "7:1"])).toEqual({ ok: true, value: { keys: ["3:1", "7:1"] } });
    expect(await watch(Array.from({ length: 17 }, (_, i) => `${i + 1}:1`))).toMatchObject({ ok: false, error: { code: "bad_request" } });
    for (let i = 0; i < 5; i++) {
      rt.tick();
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor("the detail of five ticks", () => details[0]!.length >= 10);
    expect(details[1]).toEqual([]);
    const sent = details[0]!.flatMap((f) => f.vehicles);
    expect(new Set(sent.map((d) => d.key))).toEqual(new Set(["3:1", "7:1"]));
    // Each one newer than the one before: every change of the vehicle, as it happened.
    for (const key of ["3:1", "7:1"]) {
      const times = sent.filter((d) => d.key === key).map((d) => d.lastUpdate);
      expect(times.length).toBeGreaterThanOrEqual(5);
      expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
    }
    // The frames' patches carry none of it: only a vehicle whole does (new to the screens, or its refresh).
    expect(frames.flat().filter((p) => !isWholeVehicle(p) && "lastUpdate" in p)).toEqual([]);

    // Started while nothing changes: the vehicles' detail as it is, once.
    fleet.frozen = true;
    rt.tick();
    await new Promise((r) => setTimeout(r, 50));
    details[0]!.length = 0;
    expect(await watch(["9:1"])).toEqual({ ok: true, value: { keys: ["9:1"] } });
    for (let i = 0; i < 3; i++) {
      rt.tick();
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor("the detail of the vehicle now watched", () => details[0]!.length >= 1);
    expect(details[0]!.flatMap((f) => f.vehicles.map((v) => v.key))).toEqual(["9:1"]);

    // An empty list stops them.
    fleet.frozen = false;
    expect(await watch([])).toEqual({ ok: true, value: { keys: [] } });
    details[0]!.length = 0;
    const framesBefore = frames.length;
    for (let i = 0; i < 3; i++) {
      rt.tick();
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor("frames still coming", () => frames.length >= framesBefore + 3);
    expect(details[0]).toEqual([]);
  }, 60_000);
});
