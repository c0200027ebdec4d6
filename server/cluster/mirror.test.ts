/**
 * The vehicle mirror between servers, with the channel in between played by hand (test/integration/cluster.test.ts
 * runs it through a real redis-server with two real servers).
 */
import pino from "pino";
import { describe, expect, it } from "vitest";
import { unpackTrail } from "../protocol";
import type { Alert, VehicleKey, VehicleState } from "../protocol";
import type { LiveSource } from "../realtime";
import { emptyVehicle } from "../vehicles";
import { FULL_EVERY_MS, HOLDER_STALE_MS, MAX_REMOTE_VEHICLES, SERVER_GONE_MS, VehicleMirror } from "./mirror";
import type { MirrorEvents } from "./mirror";

const log = pino({ level: "silent" });

/** One server: its own vehicles (what its registry would give), its mirror, and the live source its screens read. */
function serverOf(name: string, clock: { now: number }, bus: string[], events: MirrorEvents = {}, extras: Partial<Pick<LiveSource, "alerts" | "events" | "missions">> = {}) {
  const own = new Map<VehicleKey, VehicleState>();
  let changed: VehicleState[] = [];
  let removed: VehicleKey[] = [];
  const local: LiveSource = {
    now: () => clock.now,
    snapshot: () => [...own.values()],
    changed: () => { const c = changed; changed = []; return c; },
    removed: () => { const r = removed; removed = []; return r; },
    links: () => [], trailKeys: () => [], trail: () => null, control: () => ({}), missions: () => ({}), alerts: () => [], ...extras,
  };
  const mirror = new VehicleMirror(name, (m) => bus.push(m), log, events);
  const source = mirror.wrap(local);
  return {
    mirror, source,
    set(v: VehicleState) { own.set(v.key, v); changed.push(v); },
    forget(key: VehicleKey) { own.delete(key); removed.push(key); },
    /** One tick as the realtime server runs it: changes, then removals. */
    tick() { return { changed: source.changed(clock.now).map((v) => v.key), removed: source.removed!() }; },
  };
}

function deliver(bus: string[], to: VehicleMirror[], now: number): void {
  for (const m of bus.splice(0)) for (const mirror of to) mirror.receive(m, now);
}

/** Two servers on one channel, on one clock. */
function pair() {
  const clock = { now: 1_000_000 };
  const bus: string[] = [];
  return { clock, bus, a: serverOf("a", clock, bus), b: serverOf("b", clock, bus) };
}

const vehicle = (sysid: number, over: Partial<VehicleState> = {}): VehicleState => ({ ...emptyVehicle({ sysid, compid: 1 }, 1_000_000), ...over });

describe("the vehicle mirror", () => {
  it("puts another server's vehicles on this one's screens: snapshot, changes, and removals", () => {
    const { clock, bus, a, b } = pair();
    a.set(vehicle(1));
    a.set(vehicle(2));
    expect(a.tick()).toEqual({ changed: ["1:1", "2:1"], removed: [] });
    deliver(bus, [a.mirror, b.mirror], clock.now);
    expect(b.source.snapshot(clock.now).map((v) => v.key)).toEqual(["1:1", "2:1"]);
    expect(b.tick()).toEqual({ changed: ["1:1", "2:1"], removed: [] });
    // A change travels alone; a vehicle A forgets leaves B's screens.
    clock.now += 100;
    a.set(vehicle(1, { mode: "RTL" }));
    a.forget("2:1");
    a.tick();
    deliver(bus, [a.mirror, b.mirror], clock.now);
    expect(b.tick()).toEqual({ changed: ["1:1"], removed: ["2:1"] });
    expect(b.source.snapshot(clock.now)).toEqual([expect.objectContaining({ key: "1:1", mode: "RTL" })]);
    expect(b.mirror.stats()).toMatchObject({ servers: 1, vehicles: 1, refused: 0 });
    // A server's own messages come back from the channel and change nothing.
    expect(a.source.snapshot(clock.now).map((v) => v.key)).toEqual(["1:1"]);
  });

  it("sends every vehicle again every 2 s, which also corrects a message lost on the way", () => {
    const { clock, bus, a, b } = pair();
    a.set(vehicle(1));
    a.set(vehicle(2));
    a.tick();
    deliver(bus, [b.mirror], clock.now);
    b.tick();
    clock.now += 100;
    a.forget("2:1");
    a.tick();
    bus.splice(0);
    // Lost: B still shows 2:1 until A's next full message.
    clock.now += FULL_EVERY_MS;
    a.tick();
    expect(JSON.parse(bus[0]!)).toMatchObject({ server: "a", full: true, vehicles: [{ key: "1:1" }] });
    deliver(bus, [b.mirror], clock.now);
    expect(b.tick().removed).toEqual(["2:1"]);
  });

  it("drops a server silent for 10 s with its vehicles, and takes it back, restarted, from its first message", () => {
    const { clock, bus, a, b } = pair();
    a.set(vehicle(1));
    a.tick();
    deliver(bus, [b.mirror], clock.now);
    b.tick();
    clock.now += SERVER_GONE_MS - 1;
    expect(b.tick().removed).toEqual([]);
    clock.now += 1;
    expect(b.tick().removed).toEqual(["1:1"]);
    expect(b.mirror.stats()).toMatchObject({ servers: 0, vehicles: 0 });
    // The same name starting again counts from 0.
    const again = serverOf("a", clock, bus);
    again.set(vehicle(1));
    again.tick();
    deliver(bus, [b.mirror], clock.now);
    expect(b.tick().changed).toEqual(["1:1"]);
  });

  it("drops a server that says it is stopping, with its vehicles, at once", () => {
    const { clock, bus, a, b } = pair();
    a.set(vehicle(1));
    a.tick();
    deliver(bus, [b.mirror], clock.now);
    b.tick();
    a.mirror.leave(clock.now);
    deliver(bus, [b.mirror], clock.now);
    expect(b.tick().removed).toEqual(["1:1"]);
    expect(b.mirror.stats()).toMatchObject({ servers: 0, vehicles: 0 });
  });

  it("shows its own state of a vehicle heard here too, and counts the conflict", () => {
    const { clock, bus, a, b } = pair();
    a.set(vehicle(1, { mode: "AUTO" }));
    b.set(vehicle(1, { mode: "LOITER" }));
    b.tick();
    a.tick();
    deliver(bus, [b.mirror], clock.now);
    expect(b.source.snapshot(clock.now)).toEqual([expect.objectContaining({ key: "1:1", mode: "LOITER" })]);
    expect(b.tick().changed).toEqual([]);
    expect(b.mirror.stats().conflicts).toBe(1);
  });

  it("refuses what is not a mirror message, and bounds the vehicles it keeps, counting what it refused", () => {
    const clock = { now: 1_000_000 };
    const b = serverOf("b", clock, []);
    for (const bad of ["not json", "{}", JSON.stringify({ server: "x", seq: 0, time: 0, full: true, vehicles: [{ key: "../etc" }], removed: [] })]) {
      b.mirror.receive(bad, clock.now);
    }
    expect(b.mirror.stats()).toMatchObject({ refused: 3, servers: 0, vehicles: 0 });
    const many = (server: string, from: number) => JSON.stringify({
      server, seq: 0, time: clock.now, full: true, removed: [],
      vehicles: Array.from({ length: 2500 }, (_, i) => ({ ...vehicle(1), key: `${(from + i) % 256}:${Math.floor((from + i) / 256)}` })),
    });
    b.mirror.receive(many("x", 0), clock.now);
    b.mirror.receive(many("y", 2500), clock.now);
    expect(b.mirror.stats()).toMatchObject({ vehicles: MAX_REMOTE_VEHICLES, refused: 4, servers: 2 });
  });

  it("shares who holds each server's vehicles, says when that changes, and lets go of a server's holders with it", () => {
    const clock = { now: 1_000_000 };
    const bus: string[] = [];
    const told: string[] = [];
    const a = serverOf("a", clock, bus);
    const b = serverOf("b", clock, bus, {
      controlChanged: () => told.push("control"), serverGone: (id) => told.push(`gone ${id}`),
      controlOrphaned: (holders) => told.push(`orphaned ${holders.map((h) => `${h.key}=${h.name}/${h.sessionHash}@${h.since}`).join(",")}`),
    });
    a.set(vehicle(1));
    b.set(vehicle(2));
    a.tick();
    b.tick();
    deliver(bus, [b.mirror], clock.now);
    told.splice(0);
    // A's table travels with its next tick, even with no vehicle changed.
    clock.now += 100;
    a.mirror.setControl([{ key: "1:1", name: "p1", sessionHash: "h1", since: 5 }]);
    a.tick();
    expect(bus).toHaveLength(1);
    deliver(bus, [b.mirror], clock.now);
    expect(told).toEqual(["control"]);
    expect(b.source.control()).toEqual({ "1:1": { holder: "p1", since: 5 } });
    // B's own holders stand beside A's; the same table again is not news.
    expect(b.mirror.control({ "2:1": { holder: "p2", since: 6 } })).toEqual({ "1:1": { holder: "p1", since: 5 }, "2:1": { holder: "p2", since: 6 } });
    clock.now += FULL_EVERY_MS;
    a.tick();
    expect(JSON.parse(bus[0]!)).toMatchObject({ full: true, control: { "1:1": { holder: "p1" } } });
    deliver(bus, [b.mirror], clock.now);
    expect(told).toEqual(["control"]);
    expect(b.mirror.ownerOf("1:1")).toBe("a");
    expect(b.mirror.ownerOf("2:1")).toBeNull();
    // A goes: its vehicle and its holder with it, and what waited on it is told.
    a.mirror.leave(clock.now);
    deliver(bus, [b.mirror], clock.now);
    // Its pilots, with their sessions, for this server to keep them in control should it take their vehicles' links.
    expect(told).toEqual(["control", "orphaned 1:1=p1/h1@5", "control", "gone a"]);
    expect(b.source.control()).toEqual({});
    expect(b.mirror.ownerOf("1:1")).toBeNull();
  });

  it("gives a screen's snapshot every server's alerts, timeline events and missions, the acknowledged copy of an alert first", () => {
    const clock = { now: 1_000_000 };
    const bus: string[] = [];
    const alert = (id: number, acknowledgedAt: number | null) => ({ id, key: "1:1", rule: "battery_low", severity: "warning", text: "Battery low",
      raisedAt: 1, updatedAt: 1, clearedAt: null, clearReason: null, acknowledgedBy: acknowledgedAt === null ? null : "p1", acknowledgedAt }) as unknown as Alert;
    const ownAlerts: Alert[] = [alert(7, null), alert(3, null)];
    const a = serverOf("a", clock, bus, {}, {
      alerts: () => ownAlerts, events: () => [{ key: "1:1", time: 50, kind: "armed" }],
      missions: () => ({ "1:1": { key: "1:1", plan: null, verifiedAt: 40, source: "download", by: null } }),
    });
    const b = serverOf("b", clock, bus, {}, { alerts: () => [alert(7, 99), alert(9, null)], events: () => [{ key: "2:1", time: 60, kind: "disarmed" }] });
    a.set(vehicle(1));
    b.set(vehicle(2));
    a.tick();
    deliver(bus, [b.mirror], clock.now);
    expect(b.source.alerts().map((x) => [x.id, x.acknowledgedAt])).toEqual([[9, null], [7, 99], [3, null]]);
    expect(b.source.events!().map((e) => e.time)).toEqual([60, 50]);
    expect(Object.keys(b.source.missions())).toEqual(["1:1"]);
    // Unchanged, they are not sent again with every full message, only every EXTRAS_EVERY_FULL.
    clock.now += FULL_EVERY_MS;
    a.tick();
    expect(JSON.parse(bus.at(-1)!).extras).toBeUndefined();
    ownAlerts.push(alert(11, null));
    clock.now += FULL_EVERY_MS;
    a.tick();
    expect(JSON.parse(bus.at(-1)!).extras.alerts.map((x: Alert) => x.id)).toEqual([7, 3, 11]);
  });

  it("draws the other servers' vehicles' trails from the positions they publish, and forgets them with the vehicle", () => {
    const { clock, bus, a, b } = pair();
    // A zigzag (5 m east and back every 10 m north): every point is needed to draw it within TRAIL_TOLERANCE_M.
    const at = (north: number) => ({ lat: 51.5 + north / 111_320, lon: -0.12 + ((north / 10) % 2) * 5 / 69_300, altAmsl: 40, altRelative: 30 });
    for (let i = 0; i < 4; i++) {
      a.set(vehicle(1, { position: at(i * 10) }));
      a.tick();
      deliver(bus, [b.mirror], clock.now);
      clock.now += 100;
    }
    // The same place again adds nothing.
    a.set(vehicle(1, { position: at(30), mode: "LOITER" }));
    a.tick();
    deliver(bus, [b.mirror], clock.now);
    expect(b.source.trailKeys()).toEqual(["1:1"]);
    const trail = unpackTrail(b.source.trail("1:1")!);
    expect(trail.map((p) => Math.round((p.lat - 51.5) * 111_320))).toEqual([0, 10, 20, 30]);
    expect(trail[1]!.time - trail[0]!.time).toBe(100);
    a.mirror.leave(clock.now);
    deliver(bus, [b.mirror], clock.now);
    b.tick();
    expect(b.source.trailKeys()).toEqual([]);
    expect(b.source.trail("1:1")).toBeNull();
  });

  it("sends a vehicle whole once, then only what changed; a change lost on the way is made good by the next full message", () => {
    const { clock, bus, a, b } = pair();
    a.set(vehicle(1, { mode: "LOITER", armed: false }));
    a.tick();
    expect(JSON.parse(bus.at(-1)!)).toMatchObject({ full: true, vehicles: [{ key: "1:1", mode: "LOITER" }] });
    deliver(bus, [b.mirror], clock.now);
    clock.now += 100;
    a.set(vehicle(1, { mode: "RTL", armed: false }));
    a.tick();
    const message = JSON.parse(bus.at(-1)!) as { vehicles: unknown[]; patches: unknown[] };
    expect(message.vehicles).toEqual([]);
    expect(message.patches).toEqual([{ key: "1:1", mode: "RTL" }]);
    deliver(bus, [b.mirror], clock.now);
    expect(b.source.snapshot(clock.now)).toEqual([expect.objectContaining({ key: "1:1", mode: "RTL", armed: false })]);
    // Lost: B keeps RTL until A's next full message.
    clock.now += 100;
    a.set(vehicle(1, { mode: "LAND", armed: true }));
    a.tick();
    bus.splice(0);
    clock.now += FULL_EVERY_MS;
    a.tick();
    deliver(bus, [b.mirror], clock.now);
    expect(b.source.snapshot(clock.now)).toEqual([expect.objectContaining({ key: "1:1", mode: "LAND", armed: true })]);
    // A patch for a vehicle never received whole waits for the next full message.
    const c = serverOf("c", clock, []);
    clock.now += 100;
    a.set(vehicle(1, { mode: "AUTO", armed: true }));
    a.tick();
    c.mirror.receive(bus.at(-1)!, clock.now);
    expect(c.source.snapshot(clock.now)).toEqual([]);
  });

  it("carries a silent server's pilot over at once for a vehicle now heard here (its link taken over), not for a live one", () => {
    const clock = { now: 1_000_000 };
    const bus: string[] = [];
    const carried: string[] = [];
    const a = serverOf("a", clock, bus);
    const b = serverOf("b", clock, bus, { controlOrphaned: (holders) => carried.push(...holders.map((h) => `${h.key}=${h.name}`)) });
    a.set(vehicle(1));
    a.mirror.setControl([{ key: "1:1", name: "p1", sessionHash: "h1", since: 5 }]);
    a.tick();
    deliver(bus, [b.mirror], clock.now);
    // Heard here too while A is alive (a vehicle on two servers' links): nothing carried.
    clock.now += 500;
    b.set(vehicle(1, { mode: "LOITER" }));
    b.tick();
    expect(carried).toEqual([]);
    // A falls silent; B still hears the vehicle: carried over once, before A is known gone.
    clock.now += HOLDER_STALE_MS;
    b.set(vehicle(1, { mode: "RTL" }));
    b.tick();
    b.set(vehicle(1, { mode: "LAND" }));
    b.tick();
    expect(carried).toEqual(["1:1=p1"]);
    expect(clock.now - 1_000_000).toBeLessThan(SERVER_GONE_MS);
  });
});
