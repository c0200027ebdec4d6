import pino from "pino";
import { describe, expect, it } from "vitest";
import type { VehicleKey, VehicleState } from "../../protocol";
import { openDatabase } from "../../storage";
import { emptyVehicle } from "../../vehicles";
import { SqliteSeriesStore } from "./sqlite-store";
import { seriesMigrations } from "./sqlite-schema";
import { SeriesSampler, pointsOf } from "./sampler";
import type { Scheduler } from "./scheduler";
import type { SeriesPoint } from "./types";

const log = pino({ level: "silent" });

/** A virtual clock whose timers fire as time is advanced, in order. */
class VirtualTime implements Scheduler {
  now = 1_000_000;
  private timers: { every: number; next: number; fn: () => void; live: boolean }[] = [];

  every(ms: number, fn: () => void) {
    const timer = { every: ms, next: this.now + ms, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => { timer.live = false; } };
  }

  /** Advances by `ms`, running `each` (vehicle traffic) every `stepMs` and the timers when due. */
  advance(ms: number, stepMs: number, each: (now: number) => void): void {
    const end = this.now + ms;
    while (this.now < end) {
      this.now += stepMs;
      each(this.now);
      for (const t of this.timers) {
        while (t.live && t.next <= this.now) {
          t.next += t.every;
          t.fn();
        }
      }
    }
  }
}

function vehicle(sysid: number, time: number): VehicleState {
  return {
    ...emptyVehicle({ sysid, compid: 1 }, time),
    position: { lat: 51.5, lon: -0.1, altAmsl: 120, altRelative: 20 },
    heading: 270, groundSpeed: 4, climb: 0.5,
    attitude: { roll: 0.1, pitch: -0.05, yaw: 1.5 },
    battery: { voltage: 15.8, current: 12, remaining: 80, consumedMah: 300 },
    gps: { fix: "3d", satellites: 14, hdop: 0.7 },
    armed: true, customMode: 5,
  };
}

function rig(rateHz?: number, store?: SqliteSeriesStore) {
  const time = new VirtualTime();
  const states = new Map<VehicleKey, VehicleState>();
  const written: SeriesPoint[] = [];
  const flights = new Map<VehicleKey, number>();
  const sampler = new SeriesSampler({
    store: { write: (points) => { written.push(...points); store?.write(points); } },
    states: () => [...states.values()],
    flightOf: (key) => flights.get(key) ?? null,
    clock: () => time.now,
    scheduler: time,
    log,
  }, rateHz);
  /** A vehicle whose state changes every `everyMs` (a packet), lastUpdate = that time. */
  const traffic = (sysid: number, everyMs: number) => (now: number) => {
    if (now % everyMs !== 0) return;
    const prev = states.get(`${sysid}:1`);
    states.set(`${sysid}:1`, { ...(prev ?? vehicle(sysid, now)), lastUpdate: now });
  };
  const count = (key: VehicleKey, kind = "position") => written.filter((p) => p.vehicle === key && p.kind === kind).length;
  return { time, states, written, flights, sampler, traffic, count };
}

describe("SeriesSampler", () => {
  it("samples at 5 Hz per vehicle by default, whatever the packet rate", () => {
    const { time, sampler, traffic, count, written } = rig();
    sampler.start();
    const fast = traffic(1, 20); // 50 Hz
    const slow = traffic(2, 100); // 10 Hz
    time.advance(10_000, 10, (now) => { fast(now); slow(now); });
    expect(count("1:1")).toBe(50);
    expect(count("2:1")).toBe(50);
    for (const kind of ["attitude", "battery", "gps", "status"]) expect(count("1:1", kind)).toBe(50);
    // One point per kind per sample, times strictly increasing per vehicle.
    const times = written.filter((p) => p.vehicle === "1:1" && p.kind === "position").map((p) => p.time);
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
  });

  it("follows the configured rate, and a slower vehicle gives fewer samples", () => {
    const { time, sampler, traffic, count } = rig(2);
    expect(sampler.periodMs).toBe(500);
    sampler.start();
    const fast = traffic(1, 20);
    const oneHz = traffic(2, 1000);
    time.advance(10_000, 10, (now) => { fast(now); oneHz(now); });
    expect(count("1:1")).toBe(20);
    expect(count("2:1")).toBe(10);
  });

  it("writes nothing for a vehicle that has gone silent, and stops when stopped", () => {
    const { time, sampler, traffic, count } = rig();
    sampler.start();
    const v = traffic(1, 20);
    time.advance(2000, 10, v);
    expect(count("1:1")).toBe(10);
    time.advance(3000, 10, () => {});
    expect(count("1:1")).toBe(10);
    time.advance(1000, 10, v);
    expect(count("1:1")).toBe(15);
    sampler.stop();
    time.advance(1000, 10, v);
    expect(count("1:1")).toBe(15);
  });

  it("tags each point with the vehicle's flight at the time, and dates it by the state's data", () => {
    const { time, sampler, traffic, written, flights } = rig();
    sampler.start();
    const v = traffic(1, 50);
    time.advance(1000, 10, v);
    flights.set("1:1", 42);
    time.advance(1000, 10, v);
    const flightsSeen = written.filter((p) => p.kind === "status").map((p) => p.flightId);
    expect(flightsSeen).toEqual([null, null, null, null, null, 42, 42, 42, 42, 42]);
    for (const p of written) expect(p.time % 50).toBe(0);
  });

  it("turns a state into points of every known kind, in SI units, GPS fix as MAVLink's number", () => {
    const full = pointsOf({ ...vehicle(3, 5000), link: { ...vehicle(3, 5000).link, heartbeatAgeMs: 250 } }, 7);
    expect(full.map((p) => p.kind)).toEqual(["position", "attitude", "battery", "gps", "status"]);
    expect(full.find((p) => p.kind === "position")).toEqual({ kind: "position", vehicle: "3:1", flightId: 7, time: 5000,
      values: { lat: 51.5, lon: -0.1, altAmsl: 120, altRelative: 20, heading: 270, groundSpeed: 4, climb: 0.5 } });
    expect(full.find((p) => p.kind === "gps")?.values).toEqual({ fix: 3, satellites: 14, hdop: 0.7 });
    expect(full.find((p) => p.kind === "status")?.values).toEqual({ armed: 1, customMode: 5, heartbeatAgeMs: 250 });
    // Nothing reported yet: only the status (armed, mode, link) is known.
    expect(pointsOf(emptyVehicle({ sysid: 4, compid: 1 }, 0), null).map((p) => p.kind)).toEqual(["status"]);
  });

  it("refuses a rate it cannot keep", () => {
    const deps = { store: { write: () => {} }, states: () => [], flightOf: () => null, clock: () => 0, log };
    expect(() => new SeriesSampler(deps, 0)).toThrow(RangeError);
    expect(() => new SeriesSampler(deps, Number.NaN)).toThrow(RangeError);
  });

  it("feeds a store: a minute of 50 Hz telemetry becomes 300 samples, 60 per-second means", async () => {
    const db = openDatabase(":memory:", log);
    for (const m of seriesMigrations) m.up(db);
    const store = new SqliteSeriesStore(db, { log });
    const { time, sampler, traffic, flights } = rig(undefined, store);
    flights.set("1:1", 9);
    const start = time.now;
    sampler.start();
    time.advance(60_000, 10, traffic(1, 20));
    const raw = await store.query({ kind: "position", flightId: 9, from: start, to: time.now });
    expect(raw.samples).toHaveLength(300);
    // The range is inclusive: a sample at exactly `to` would open a 61st bucket.
    const perSecond = await store.query({ kind: "battery", vehicle: "1:1", from: start, to: time.now - 1, resolutionMs: 1000, fields: ["voltage"] });
    expect(perSecond.samples).toHaveLength(60);
    expect(perSecond.samples[0]?.values.voltage).toBeCloseTo(15.8, 9);
    await store.close();
    db.close();
  });
});
